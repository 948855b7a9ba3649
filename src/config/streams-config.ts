import { ConfigValueError, invalid, key, types, type ConfigKey } from './config-def.ts';

/**
 * Millrace's config keys, with Kafka Streams' names where the concept is the same (`StreamsConfig`).
 * docs/configuration.md lists them; test/src/config/streams-config.test.ts checks that the two agree.
 */
export const STREAMS_CONFIG = {
  'application.id': key(
    'application.id',
    'Identifies the application: the consumer group id, the prefix of internal topics and the state directory name.',
    undefined,
    types.string({
      nonEmpty: true,
      pattern: /^[a-zA-Z0-9._-]+$/,
      hint: 'may contain only letters, digits, ".", "_" and "-"',
    }),
  ),
  'bootstrap.servers': key(
    'bootstrap.servers',
    'Kafka brokers to connect to, host:port, comma-separated.',
    undefined,
    types.list(),
  ),
  'state.dir': key(
    'state.dir',
    'Directory of the local state stores (one sub-directory per task).',
    '.millrace/state',
    types.string({ nonEmpty: true }),
  ),
  'state.backend': key(
    'state.backend',
    'Backend of persistent stores: lmdb (default), level, or memory (tests).',
    'lmdb',
    types.oneOf(['lmdb', 'level', 'memory'] as const),
  ),
  'processing.guarantee': key(
    'processing.guarantee',
    'at_least_once, or exactly_once_v2 (transactional producer, offsets in the transaction, read_committed inputs).',
    'at_least_once',
    types.oneOf(['at_least_once', 'exactly_once_v2'] as const),
  ),
  'commit.interval.ms': key(
    'commit.interval.ms',
    'How often tasks commit (offsets, changelogs, checkpoints). Default 30000, or 100 under exactly_once_v2, as in Kafka Streams.',
    undefined as number | undefined,
    types.int({ min: 0 }),
  ),
  'num.standby.replicas': key(
    'num.standby.replicas',
    'Warm copies of each store kept on other instances.',
    0,
    types.int({ min: 0 }),
  ),
  'application.server': key(
    'application.server',
    'host:port where this instance serves interactive queries, advertised to the other instances.',
    null as string | null,
    types.hostPort({ optional: true }),
  ),
  'query.threads': key(
    'query.threads',
    'Worker threads that accept the HTTP connections of the query server (millrace run / createMillraceServer): they answer key lookups (GET /stores/:app/:store/keys/:key) of string-keyed stores from the committed LMDB state of the running local tasks, off the stream thread, and hand every other request to the main thread. They see committed state only (up to commit.interval.ms old). 0 (the default, as Kafka Streams) serves everything on the main thread, which reads processed but uncommitted state too (docs/http-api.md, read consistency).',
    0,
    types.int({ min: 0, max: 64 }),
  ),
  'replication.factor': key(
    'replication.factor',
    'Replication factor of internal topics (changelogs, repartition topics); -1 uses the broker default.',
    -1,
    types.int({ min: -1 }),
  ),
  'max.poll.records': key(
    'max.poll.records',
    'Most records processed between two checks of the event loop and of commit.interval.ms (Kafka Streams bounds the work between polls with it); a check also happens every ~5 ms.',
    1000,
    types.int({ min: 1 }),
  ),
  'restore.batch.size': key(
    'restore.batch.size',
    'Changelog records written to a store in one restore transaction.',
    10_000,
    types.int({ min: 1 }),
  ),
  'statestore.write.buffer.max.bytes': key(
    'statestore.write.buffer.max.bytes',
    'Buffered store bytes per task that force an early commit.',
    64 * 1024 * 1024,
    types.int({ min: 0 }),
  ),
  'statestore.cache.max.bytes': key(
    'statestore.cache.max.bytes',
    "Record cache of the stream thread, shared by its tasks (Kafka Streams' statestore.cache.max.bytes): DSL aggregations keep updates there and write, log and forward each key once per commit or when evicted (least recently used first). 0 disables it: one store write, changelog record and downstream update per update.",
    10 * 1024 * 1024,
    types.int({ min: 0 }),
  ),
  'deserialization.exception.handler': key(
    'deserialization.exception.handler',
    'On a record that cannot be deserialized: continue (log, count, skip), fail (stop the application), or dlq (send to the dead-letter topic).',
    'dlq',
    types.oneOf(['continue', 'fail', 'dlq'] as const),
  ),
  'processing.exception.handler': key(
    'processing.exception.handler',
    'On an error thrown by a processor: continue, fail or dlq.',
    'dlq',
    types.oneOf(['continue', 'fail', 'dlq'] as const),
  ),
  'production.exception.handler': key(
    'production.exception.handler',
    'On a record the producer rejects (too large, invalid): continue or fail.',
    'fail',
    types.oneOf(['continue', 'fail'] as const),
  ),
  'dlq.topic.suffix': key(
    'dlq.topic.suffix',
    'The dead-letter topic of input topic T is T + this suffix.',
    '.dlq',
    types.string({ nonEmpty: true }),
  ),
  'shutdown.timeout.ms': key(
    'shutdown.timeout.ms',
    'Longest a graceful shutdown waits for in-flight work, the last commit and closing.',
    30_000,
    types.int({ min: 0 }),
  ),
  'session.timeout.ms': key(
    'session.timeout.ms',
    "How long the group waits for a silent instance (crashed, killed) before moving its tasks; at least the broker's group.min.session.timeout.ms (6000 by default). Heartbeats go every third of it, at most every 3 s.",
    45_000,
    types.int({ min: 1 }),
  ),
  'group.instance.id': key(
    'group.instance.id',
    "Static group membership (KIP-345): 'auto' (default) uses <application.id>-<process id>, the process id being kept in the state dir, so a restarted instance takes its own place back at once, without a rebalance of the others and without waiting for its old session to expire; 'none' joins as a dynamic member; any other value is used as is (unique per instance, e.g. the pod name).",
    'auto',
    types.string({
      nonEmpty: true,
      pattern: /^[a-zA-Z0-9._-]+$/,
      hint: "'auto', 'none', or an id of letters, digits, '.', '_' and '-'",
    }),
  ),
  'leave.group.on.close': key(
    'leave.group.on.close',
    "Whether a graceful close leaves the consumer group (default true: the other instances take its tasks over at once). With false, a static member keeps its place for session.timeout.ms, so a restart within it causes no rebalance at all (Kafka Streams' behaviour with static membership).",
    true,
    (raw: unknown): boolean => {
      if (raw === true || raw === 'true') return true;
      if (raw === false || raw === 'false') return false;
      throw new ConfigValueError(`expected true or false, got ${JSON.stringify(raw)}`);
    },
  ),
  'transaction.timeout.ms': key(
    'transaction.timeout.ms',
    "Under exactly_once_v2, how long the broker lets a transaction stay open before aborting it (a crashed instance's transaction is aborted after this; Kafka Streams uses 10000 too). At most the broker's transaction.max.timeout.ms (900000 by default).",
    10_000,
    types.int({ min: 1000, max: 900_000 }),
  ),
  'repartition.purge.interval.ms': key(
    'repartition.purge.interval.ms',
    'How often records of repartition topics that every task has consumed and committed are deleted (DeleteRecords up to the committed offsets, after the commit), as in Kafka Streams (KIP-811). Best effort: failures are logged and retried in the next round.',
    30_000,
    types.int({ min: 0 }),
  ),
  'client.id': key(
    'client.id',
    'Prefix of the Kafka client ids of this instance.',
    'millrace',
    types.string({ nonEmpty: true }),
  ),
} as const;

type Keys = typeof STREAMS_CONFIG;
type ValueOf<K extends keyof Keys> = Keys[K] extends ConfigKey<infer T> ? T : never;

/** Validated, frozen configuration. */
export type StreamsConfig = { readonly [K in keyof Keys]: ValueOf<K> } & {
  readonly 'commit.interval.ms': number;
};

/** What a user passes: any subset, raw values (strings from YAML or env are parsed). */
export type StreamsConfigInput = { [K in keyof Keys]?: unknown } & Record<string, unknown>;

/**
 * The environment variable of each key: `MILLRACE_` + the key upper-cased with dots as underscores
 * (`commit.interval.ms` → `MILLRACE_COMMIT_INTERVAL_MS`); `bootstrap.servers` also reads
 * `KAFKA_BOOTSTRAP_SERVERS`. Environment values override the given ones.
 */
export function envName(name: string): string {
  return `MILLRACE_${name.toUpperCase().replaceAll('.', '_')}`;
}

/**
 * Validates the configuration once and freezes it. Unknown keys are rejected (a typo must not be silently
 * ignored).
 *
 * @example
 * ```ts
 * const config = loadStreamsConfig({ 'application.id': 'orders', 'bootstrap.servers': 'localhost:9092' });
 * config['commit.interval.ms']; // 30000
 * ```
 */
export function loadStreamsConfig(
  input: StreamsConfigInput,
  env: NodeJS.ProcessEnv = process.env,
): StreamsConfig {
  for (const name of Object.keys(input)) {
    if (!(name in STREAMS_CONFIG)) {
      throw invalid(
        name,
        `is not a Millrace config key (known keys: ${Object.keys(STREAMS_CONFIG).join(', ')})`,
        'the given config',
      );
    }
  }
  const out: Record<string, unknown> = {};
  for (const def of Object.values(STREAMS_CONFIG) as ConfigKey<unknown>[]) {
    const fromEnv =
      env[envName(def.name)] ?? (def.name === 'bootstrap.servers' ? env.KAFKA_BOOTSTRAP_SERVERS : undefined);
    const source = fromEnv !== undefined ? `environment variable ${envName(def.name)}` : 'the given config';
    const raw = fromEnv ?? input[def.name];
    if (raw === undefined) {
      if (def.default === undefined && def.name !== 'commit.interval.ms')
        throw invalid(def.name, 'is required', source);
      out[def.name] = def.default;
      continue;
    }
    try {
      out[def.name] = def.parse(raw);
    } catch (err) {
      if (err instanceof ConfigValueError) throw invalid(def.name, err.message, source);
      throw err;
    }
  }
  out['commit.interval.ms'] ??= out['processing.guarantee'] === 'exactly_once_v2' ? 100 : 30_000;
  return Object.freeze(out) as StreamsConfig;
}
