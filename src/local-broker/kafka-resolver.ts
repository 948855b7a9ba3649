import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { MillraceError } from '../errors/index.ts';

const run = promisify(execFile);

const KAFKA_GROUP = 'org.apache.kafka';
const KAFKA_ARTIFACT = 'kafka_2.13';
/** Versions whose artifacts were incomplete on Maven Central are not tried again for this long. */
const RETRY_UNRESOLVABLE_MS = 24 * 3600_000;

/** A Kafka broker distribution resolved into the cache: every runtime jar in one folder. */
export interface KafkaDistribution {
  version: string;
  libs: string;
}

type Log = (message: string) => void;

/**
 * Resolves the newest Apache Kafka 4.x broker and its runtime dependencies from Maven Central with Maven
 * into `<distRoot>/<version>/libs`. `MILLRACE_KAFKA_VERSION` pins a version. A version that is listed in the
 * repository's metadata but whose artifacts are not all published yet is skipped (and remembered for a day),
 * so a release that is still being mirrored does not break start-up. When the repository cannot be reached,
 * the newest distribution already in the cache is used.
 */
export async function resolveKafka(distRoot: string, log: Log): Promise<KafkaDistribution> {
  const pinned = process.env.MILLRACE_KAFKA_VERSION;
  const cached = await cachedVersions(distRoot);
  if (pinned) {
    if (cached.includes(pinned)) return distribution(distRoot, pinned);
    await resolveVersion(distRoot, pinned, log);
    return distribution(distRoot, pinned);
  }

  if (cached[0] && (await checkedRecently(distRoot))) return distribution(distRoot, cached[0]);
  let candidates: string[];
  try {
    candidates = await listKafka4Versions(log);
    await mkdir(distRoot, { recursive: true });
    await writeFile(join(distRoot, 'checked-at'), `${Date.now()}\n`).catch(() => undefined);
  } catch (err) {
    if (cached[0]) {
      log(
        `could not list Kafka versions (${(err as Error).message.split('\n')[0]}); using cached ${cached[0]}`,
      );
      return distribution(distRoot, cached[0]);
    }
    throw err;
  }
  const skip = await unresolvable(distRoot);
  for (const version of candidates) {
    if (cached.includes(version)) return distribution(distRoot, version);
    if (skip.has(version)) continue;
    try {
      await resolveVersion(distRoot, version, log);
      return distribution(distRoot, version);
    } catch (err) {
      log(`Kafka ${version} is not fully published on the repository yet; trying an older 4.x release`);
      await markUnresolvable(distRoot, version, skip);
      if (candidates.indexOf(version) === candidates.length - 1) throw err;
    }
  }
  if (cached[0]) return distribution(distRoot, cached[0]);
  throw new MillraceError(
    'MR_LOCAL_BROKER_RESOLVE',
    'no Apache Kafka 4.x release could be resolved with Maven.',
  );
}

/** Whether the repository was asked for new releases within the last day (start-up stays fast). */
async function checkedRecently(distRoot: string): Promise<boolean> {
  const at = Number(await readFile(join(distRoot, 'checked-at'), 'utf8').catch(() => '0'));
  return Date.now() - at < RETRY_UNRESOLVABLE_MS;
}

function distribution(distRoot: string, version: string): KafkaDistribution {
  return { version, libs: join(distRoot, version, 'libs') };
}

/** Versions fully resolved before, newest first (a `complete` marker is written last). */
async function cachedVersions(distRoot: string): Promise<string[]> {
  if (!existsSync(distRoot)) return [];
  const names = await readdir(distRoot);
  return names.filter((v) => existsSync(join(distRoot, v, 'complete'))).sort(compareVersionsDesc);
}

/** Asks Maven for the artifact's metadata, then reads every 4.x version it lists from the local repository. */
async function listKafka4Versions(log: Log): Promise<string[]> {
  log('looking up the newest Apache Kafka 4.x release with Maven');
  await maven([
    'dependency:get',
    `-Dartifact=${KAFKA_GROUP}:${KAFKA_ARTIFACT}:RELEASE:pom`,
    '-Dtransitive=false',
  ]);
  const dir = join(await localRepository(), ...KAFKA_GROUP.split('.'), KAFKA_ARTIFACT);
  const versions = new Set<string>();
  for (const file of (await readdir(dir)).filter((f) => /^maven-metadata.*\.xml$/.test(f))) {
    const xml = await readFile(join(dir, file), 'utf8');
    for (const m of xml.matchAll(/<version>([^<]+)<\/version>/g)) versions.add(m[1]!);
  }
  const kafka4 = [...versions].filter((v) => /^4\.\d+\.\d+$/.test(v)).sort(compareVersionsDesc);
  if (kafka4.length === 0) {
    throw new MillraceError('MR_LOCAL_BROKER_RESOLVE', 'Maven listed no Apache Kafka 4.x release.');
  }
  return kafka4;
}

async function localRepository(): Promise<string> {
  try {
    const { stdout } = await maven([
      'help:evaluate',
      '-Dexpression=settings.localRepository',
      '-DforceStdout',
    ]);
    const path = stdout.trim().split('\n').pop()?.trim();
    if (path && existsSync(path)) return path;
  } catch {
    // fall through to Maven's default
  }
  return join(homedir(), '.m2', 'repository');
}

/** Copies the broker's runtime jars, plus the SLF4J→Log4j2 bridge so the broker's logs reach its log file. */
async function resolveVersion(distRoot: string, version: string, log: Log): Promise<void> {
  const dir = join(distRoot, version);
  const libs = join(dir, 'libs');
  await rm(dir, { recursive: true, force: true });
  await mkdir(libs, { recursive: true });
  await writeFile(join(dir, 'pom.xml'), pom(version));
  log(`resolving Apache Kafka ${version} and its dependencies with Maven (first run only)`);
  try {
    await maven([
      '-f',
      join(dir, 'pom.xml'),
      'dependency:copy-dependencies',
      `-DoutputDirectory=${libs}`,
      '-DincludeScope=runtime',
    ]);
    const log4j = (await readdir(libs)).map((f) => /^log4j-core-(.+)\.jar$/.exec(f)?.[1]).find(Boolean);
    if (log4j) {
      await maven([
        'dependency:copy',
        `-Dartifact=org.apache.logging.log4j:log4j-slf4j-impl:${log4j}`,
        `-DoutputDirectory=${libs}`,
      ]);
    }
  } catch (cause) {
    await rm(dir, { recursive: true, force: true });
    throw new MillraceError(
      'MR_LOCAL_BROKER_RESOLVE',
      `Maven could not resolve Apache Kafka ${version}: ${(cause as Error).message.split('\n').slice(-3).join(' ')}. ` +
        'Check that Maven can reach Maven Central (its settings, proxy), or set MILLRACE_KAFKA_VERSION to a release that resolves.',
      { cause },
    );
  }
  await writeFile(join(dir, 'complete'), `${new Date().toISOString()}\n`);
}

function pom(version: string): string {
  return `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.millrace.local</groupId>
  <artifactId>kafka-broker-runtime</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>${KAFKA_GROUP}</groupId><artifactId>${KAFKA_ARTIFACT}</artifactId><version>${version}</version></dependency>
  </dependencies>
</project>
`;
}

async function unresolvable(distRoot: string): Promise<Map<string, number>> {
  try {
    const raw = JSON.parse(await readFile(join(distRoot, 'unresolvable.json'), 'utf8')) as Record<
      string,
      number
    >;
    return new Map(Object.entries(raw).filter(([, at]) => Date.now() - at < RETRY_UNRESOLVABLE_MS));
  } catch {
    return new Map();
  }
}

async function markUnresolvable(
  distRoot: string,
  version: string,
  known: Map<string, number>,
): Promise<void> {
  known.set(version, Date.now());
  await mkdir(distRoot, { recursive: true });
  await writeFile(join(distRoot, 'unresolvable.json'), JSON.stringify(Object.fromEntries(known), null, 2));
}

function maven(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run('mvn', ['-B', '-q', ...args], { maxBuffer: 16 * 1024 * 1024 }).catch(
    (err: { stdout?: string; message: string }) => {
      throw new Error(`${err.message}\n${err.stdout ?? ''}`.trim());
    },
  );
}

/** Orders dotted numeric versions newest first. */
export function compareVersionsDesc(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pb[i] ?? 0) - (pa[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
