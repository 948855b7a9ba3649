import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { loadStreamsConfig } from '../config/index.ts';
import { createKafkaClient, type KafkaClient } from '../kafka/index.ts';
import { MillraceError } from '../errors/index.ts';
import { createCommittedLagSource, createMillraceMetrics } from '../metrics/index.ts';
import { createStreamsApp, type StreamsApp } from '../runtime/streams-app.ts';
import { createMillraceServer, type AuthOptions, type MillraceServer } from '../server/index.ts';
import { compileTopologySpec, createProcessorRegistry } from '../topology/spec/index.ts';
import type { Topology } from '../topology/topology.ts';
import { ensureBroker } from './ensure-broker.ts';
import { loadPlugins } from './load-plugins.ts';
import type { RunConfig } from './run-config.ts';

/** A running `millrace run` process: one StreamsApp per topology, one HTTP server for all. */
export interface RunningMillrace {
  readonly apps: ReadonlyMap<string, StreamsApp>;
  readonly server: MillraceServer;
  /** `host:port` the server listens on. */
  readonly address: string;
  close(): Promise<void>;
}

const readSecret = (path: string, what: string) => {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (cause) {
    throw new MillraceError(
      'MR_SERVER_CONFIG_INVALID',
      `cannot read the ${what} file ${path}: fix server.auth`,
      {
        cause,
      },
    );
  }
};

function authOptions(config: RunConfig, env: NodeJS.ProcessEnv): AuthOptions | undefined {
  const a = config.server.auth ?? {};
  const token = env.MILLRACE_API_TOKEN || (a.tokenFile ? readSecret(a.tokenFile, 'token') : undefined);
  const internal = a.internalTokenFile ? readSecret(a.internalTokenFile, 'internal token') : undefined;
  const jwt = a.jwt
    ? {
        publicKey: readSecret(a.jwt.publicKeyFile, 'JWT public key'),
        ...(a.jwt.issuer ? { issuer: a.jwt.issuer } : {}),
        ...(a.jwt.audience ? { audience: a.jwt.audience } : {}),
        ...(a.jwt.algorithms ? { algorithms: a.jwt.algorithms } : {}),
      }
    : undefined;
  if (!token && !jwt && !internal) return undefined;
  return {
    ...(token ? { token } : {}),
    ...(jwt ? { jwt } : {}),
    ...(internal ? { internalToken: internal } : {}),
  };
}

/** The state dir the apps use (where a generated API token is kept). */
function stateDirOf(config: RunConfig, env: NodeJS.ProcessEnv): string {
  const common = config.common['state.dir'];
  return env.MILLRACE_STATE_DIR ?? (typeof common === 'string' ? common : './data');
}

/**
 * Data routes always require a bearer token. With none configured, one is generated on first start, printed
 * once and saved (mode 0600) as `<state dir>/api-token`; later starts reuse it and say where it is.
 */
export function generatedToken(stateDir: string, log: (m: string) => void): string {
  const file = join(stateDir, 'api-token');
  if (existsSync(file)) {
    log(`data routes require the bearer token saved in ${file} (set MILLRACE_API_TOKEN to choose one)`);
    return readFileSync(file, 'utf8').trim();
  }
  const token = randomBytes(24).toString('base64url');
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  log(`generated an API token (saved in ${file}); send it as "Authorization: Bearer ${token}"`);
  return token;
}

/**
 * Starts what a run config describes: loads the plugins (their processors go into one registry), compiles
 * every topology spec, creates the configured topics if missing, starts one StreamsApp per topology and the
 * HTTP server. Config precedence per app: `common` < the spec's `config` < the topology's `config` in the
 * run file < environment (`MILLRACE_*`, `KAFKA_BOOTSTRAP_SERVERS`). Without any bootstrap.servers, the local
 * broker is used (started when none answers).
 */
export async function startMillrace(
  config: RunConfig,
  options: { log: (m: string) => void; env?: NodeJS.ProcessEnv },
): Promise<RunningMillrace> {
  const env = options.env ?? process.env;
  const log = options.log;
  const port = config.server.port ?? Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new MillraceError('MR_SERVER_CONFIG_INVALID', `PORT=${env.PORT} is not a port number (0-65535)`);
  const host = config.server.host ?? '0.0.0.0';

  const plugins = await loadPlugins(config.plugins);
  const registry = createProcessorRegistry();
  for (const p of plugins) p.register?.(registry);

  const configured = env.KAFKA_BOOTSTRAP_SERVERS ?? config.common['bootstrap.servers'];
  const bootstrap = configured ? String(configured).split(',') : await ensureBroker(log);

  const apps = new Map<string, StreamsApp>();
  const topologies = new Map<string, Topology>();
  const kafka: KafkaClient = createKafkaClient({ bootstrapServers: bootstrap, clientId: 'millrace-run' });
  let server: MillraceServer | undefined;
  const close = async () => {
    await server?.close().catch(() => undefined);
    await Promise.all([...apps.values()].map((a) => a.close().catch(() => undefined)));
    await kafka.close().catch(() => undefined);
  };
  try {
    if (config.topics.length > 0) {
      await kafka.admin().createTopics(
        config.topics.map((t) => ({
          name: t.name,
          partitions: t.partitions,
          replicationFactor: t.replicationFactor ?? -1,
          ...(t.configs ? { configs: t.configs } : {}),
        })),
        { ignoreIfExists: true },
      );
      log(`topics present: ${config.topics.map((t) => t.name).join(', ')}`);
    }
    const compiled = config.topologies.map((t) => {
      const spec = compileTopologySpec(readFileSync(t.path, 'utf8'), registry);
      return { t, spec };
    });
    const listenPort = port;
    const advertised =
      env.MILLRACE_APPLICATION_SERVER ?? `${config.server.advertisedHost ?? hostname()}:${listenPort}`;
    for (const { t, spec } of compiled) {
      const appConfig = {
        'state.dir': './data',
        ...config.common,
        ...spec.config,
        ...(t.config ?? {}),
        'bootstrap.servers': bootstrap.join(','),
        'application.server': advertised,
      };
      // Validated here against the given environment (not only process.env), so tests can pass their own.
      const app = createStreamsApp(spec.topology, loadStreamsConfig(appConfig, env), {
        log: (level, m) => log(`${level.toUpperCase()} [${spec.config['application.id']}] ${m}`),
      });
      apps.set(app.config['application.id'], app);
      topologies.set(app.config['application.id'], spec.topology);
    }
    server = await createMillraceServer({
      apps,
      topologies,
      plugins,
      kafka,
      metrics: createMillraceMetrics({ apps, lag: createCommittedLagSource(kafka.admin()) }),
      auth: authOptions(config, env) ?? { token: generatedToken(stateDirOf(config, env), log) },
      ...(config.server.tls ? { tls: config.server.tls } : {}),
      ...(config.server.forwardTimeoutMs ? { forwardTimeoutMs: config.server.forwardTimeoutMs } : {}),
      logLevel: config.server.logLevel ?? env.MILLRACE_LOG_LEVEL ?? 'info',
    });
    const address = await server.listen(port, host);
    log(`HTTP server on ${address} (application.server ${advertised}); OpenAPI at /docs`);
    for (const app of apps.values()) await app.start();
    return { apps, server, address, close };
  } catch (err) {
    await close();
    throw err;
  }
}
