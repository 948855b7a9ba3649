import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, openSync, closeSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { MillraceError } from '../errors/index.ts';
import { resolveKafka } from './kafka-resolver.ts';
import { probeMetadata } from './metadata-probe.ts';
import { localBrokerPaths, type LocalBrokerPaths } from './paths.ts';
import { checkPrerequisites } from './prerequisites.ts';
import { LOG4J2_PROPERTIES, serverProperties } from './server-properties.ts';

const run = promisify(execFile);

/** Options of the local broker tool; every one has a default fit for one developer machine. */
export interface LocalBrokerOptions {
  /** Client port (default `KAFKA_PORT` or 9092); the controller listens on port + 1 unless given. */
  port?: number;
  controllerPort?: number;
  /** Loopback only by default. */
  host?: string;
  /** JVM max heap (default `MILLRACE_KAFKA_HEAP` or 512m). */
  heap?: string;
  /** How long to wait for the broker to answer a Metadata request. */
  readyTimeoutMs?: number;
  log?: (message: string) => void;
}

/** What `status` tells. */
export interface LocalBrokerStatus {
  bootstrapServers: string;
  /** started: this tool's broker runs; external: something else answers on the port; stopped: nothing does. */
  state: 'started' | 'external' | 'stopped';
  pid?: number;
  answering: boolean;
  version?: string;
  paths: LocalBrokerPaths;
}

function settings(options: LocalBrokerOptions) {
  const port = options.port ?? Number(process.env.KAFKA_PORT ?? 9092);
  const host = options.host ?? '127.0.0.1';
  return {
    host,
    port,
    controllerPort: options.controllerPort ?? port + 1,
    heap: options.heap ?? process.env.MILLRACE_KAFKA_HEAP ?? '512m',
    readyTimeoutMs: options.readyTimeoutMs ?? 90_000,
    log: options.log ?? ((m: string) => console.error(`[kafka-local] ${m}`)),
    paths: localBrokerPaths(port),
  };
}

/** Reports whether a broker runs on the port, and whether this tool started it. */
export async function localBrokerStatus(options: LocalBrokerOptions = {}): Promise<LocalBrokerStatus> {
  const s = settings(options);
  const pid = await livePid(s.paths);
  const answering = await answers(s.host, s.port);
  const version = await readFile(join(s.paths.broker, 'version'), 'utf8').then(
    (v) => v.trim(),
    () => undefined,
  );
  const state = pid !== undefined ? 'started' : answering ? 'external' : 'stopped';
  return {
    bootstrapServers: `${s.host}:${s.port}`,
    state,
    answering,
    paths: s.paths,
    ...(pid !== undefined ? { pid } : {}),
    ...(version !== undefined && pid !== undefined ? { version } : {}),
  };
}

/**
 * Starts a single-node KRaft broker on loopback unless one already answers (idempotent). Resolves Kafka with
 * Maven on first use, formats storage once, starts the JVM detached (it outlives this process), and waits
 * until the broker answers a Metadata request. Returns `started: false` when a broker was already there.
 */
export async function startLocalBroker(
  options: LocalBrokerOptions = {},
): Promise<{ started: boolean; status: LocalBrokerStatus }> {
  const s = settings(options);
  const before = await localBrokerStatus(options);
  if (before.state === 'started' && before.answering) {
    s.log(`broker already running at ${before.bootstrapServers} (pid ${before.pid})`);
    return { started: false, status: before };
  }
  if (before.state === 'external') {
    s.log(`a broker not started by this tool already answers at ${before.bootstrapServers}; using it`);
    return { started: false, status: before };
  }
  if (before.state === 'started') {
    // Our JVM is alive but not answering yet: another start is under way. Wait for it.
    await waitUntilReady(s.host, s.port, before.pid!, s.paths, s.readyTimeoutMs);
    return { started: false, status: await localBrokerStatus(options) };
  }

  await checkPrerequisites();
  const dist = await resolveKafka(s.paths.dist, s.log);
  await mkdir(s.paths.data, { recursive: true });
  await writeFile(s.paths.properties, serverProperties({ ...s, dataDir: s.paths.data }));
  await writeFile(s.paths.log4jConfig, LOG4J2_PROPERTIES);
  const classpath = `${dist.libs}/*`;
  const jvm = [`-Dlog4j2.configurationFile=${s.paths.log4jConfig}`, '-cp', classpath];

  if (!existsSync(join(s.paths.data, 'meta.properties'))) {
    s.log(`formatting KRaft storage in ${s.paths.data}`);
    await run('java', [
      ...jvm,
      'kafka.tools.StorageTool',
      'format',
      '-t',
      clusterId(),
      '-c',
      s.paths.properties,
    ]);
  }

  s.log(`starting Apache Kafka ${dist.version} at ${s.host}:${s.port} (log: ${s.paths.log})`);
  const logFd = openSync(s.paths.log, 'a');
  const child = spawn(
    'java',
    [
      `-Xms128m`,
      `-Xmx${s.heap}`,
      '-XX:+UseG1GC',
      '-XX:MaxGCPauseMillis=20',
      ...jvm,
      'kafka.Kafka',
      s.paths.properties,
    ],
    { detached: true, stdio: ['ignore', logFd, logFd] },
  );
  closeSync(logFd);
  child.unref();
  if (child.pid === undefined) throw new MillraceError('MR_LOCAL_BROKER_START', 'could not spawn java');
  await writeFile(s.paths.pidFile, `${child.pid}\n`);
  await writeFile(join(s.paths.broker, 'version'), `${dist.version}\n`);
  await waitUntilReady(s.host, s.port, child.pid, s.paths, s.readyTimeoutMs);
  s.log(`broker ready at ${s.host}:${s.port}`);
  return { started: true, status: await localBrokerStatus(options) };
}

/** Stops the broker this tool started (SIGTERM, then SIGKILL after 30 s). A broker it did not start is left alone. */
export async function stopLocalBroker(options: LocalBrokerOptions = {}): Promise<boolean> {
  const s = settings(options);
  const pid = await livePid(s.paths);
  if (pid === undefined) {
    s.log(`no broker started by this tool runs on port ${s.port}`);
    return false;
  }
  s.log(`stopping broker (pid ${pid})`);
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 30_000;
  while (alive(pid) && Date.now() < deadline) await sleep(200);
  if (alive(pid)) {
    s.log('broker did not stop within 30 s; killing it');
    process.kill(pid, 'SIGKILL');
    while (alive(pid)) await sleep(100);
  }
  await rm(s.paths.pidFile, { force: true });
  s.log('broker stopped');
  return true;
}

async function waitUntilReady(
  host: string,
  port: number,
  pid: number,
  paths: LocalBrokerPaths,
  timeoutMs: number,
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await answers(host, port)) return;
    if (!alive(pid)) {
      await rm(paths.pidFile, { force: true });
      throw new MillraceError(
        'MR_LOCAL_BROKER_START',
        `the broker exited during start-up. Last lines of ${paths.log}:\n${await tail(paths.log, 25)}\n` +
          `If the port is taken, set KAFKA_PORT; if the data dir is damaged, delete ${paths.data} and start again.`,
      );
    }
    await sleep(250);
  }
  throw new MillraceError(
    'MR_LOCAL_BROKER_START',
    `the broker (pid ${pid}) did not answer at ${host}:${port} within ${timeoutMs} ms. See ${paths.log}.`,
  );
}

async function answers(host: string, port: number): Promise<boolean> {
  try {
    return (await probeMetadata(host, port)).brokers > 0;
  } catch {
    return false;
  }
}

/** The pid in the pid file when that process is alive; a stale pid file is removed. */
async function livePid(paths: LocalBrokerPaths): Promise<number | undefined> {
  const text = await readFile(paths.pidFile, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const pid = Number(text.trim());
  if (Number.isInteger(pid) && pid > 0 && alive(pid) && (await isKafkaProcess(pid))) return pid;
  await rm(paths.pidFile, { force: true });
  return undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Guards against a recycled pid: the process must be a JVM running kafka.Kafka. */
async function isKafkaProcess(pid: number): Promise<boolean> {
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => undefined);
  return cmdline === undefined ? true : cmdline.includes('kafka.Kafka');
}

/** The last `lines` lines of a file. */
export async function tail(path: string, lines: number): Promise<string> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** A Kafka cluster id: 16 random bytes in URL-safe base64 without padding, never starting with '-'. */
function clusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}
