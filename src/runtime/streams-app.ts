import { join } from 'node:path';
import type { KeyValue, ReadOnlyKeyValueStore } from '../../state/types.ts';
import { loadStreamsConfig, type StreamsConfig, type StreamsConfigInput } from '../config/index.ts';
import { MillraceError } from '../errors/index.ts';
import { createKafkaClient, type KafkaClient } from '../kafka/index.ts';
import type { StoreSpec } from '../processor/subtopology-spec.ts';
import type { CompiledTopology, Topology } from '../topology/topology.ts';
import { AppLifecycle, type AppState } from './app-lifecycle.ts';
import { backendFactory, localTaskIds } from './internal/backend-factory.ts';
import { loadProcessId } from './internal/process-id.ts';
import { describeInstances, taskForKey, type InstanceMetadata } from './internal/query-metadata.ts';
import { compositeStore, unknownStore } from './internal/query-view.ts';
import {
  compositeSessionStore,
  compositeWindowStore,
  type ReadOnlySessionStore,
  type ReadOnlyWindowStore,
} from './internal/query-window-view.ts';
import { StreamThread } from './internal/stream-thread.ts';
import type { StoreRestoreProgress } from './internal/task-restorer.ts';
import { prepareTopics } from './internal/topic-manager.ts';
import { StreamsMetrics } from './streams-metrics.ts';

export type { StoreRestoreProgress } from './internal/task-restorer.ts';
export type { InstanceMetadata } from './internal/query-metadata.ts';
export type { ReadOnlySessionStore, ReadOnlyWindowStore } from './internal/query-window-view.ts';

/** A log line's level. */
export type LogLevel = 'info' | 'warn' | 'error';

/** Options of {@link createStreamsApp} besides the config. */
export interface StreamsAppOptions {
  /** Where log lines go (default: stderr, one line each). Never given patient data: only ids and counts. */
  log?: (level: LogLevel, message: string) => void;
  /** Called as restores progress (also logged every 10%, and kept in `metrics.restoreProgress`). */
  onRestoreProgress?: (progress: StoreRestoreProgress) => void;
}

/**
 * A running Millrace application instance (Kafka Streams' `KafkaStreams`).
 *
 * @example
 * ```ts
 * const app = createStreamsApp(builder.build(), { 'application.id': 'counts', 'bootstrap.servers': 'localhost:9092' });
 * await app.start();
 * await app.waitUntilRunning();
 * app.store<string, bigint>('counts').get('patient-1');
 * await app.close();
 * ```
 */
export interface StreamsApp {
  readonly config: StreamsConfig;
  readonly state: AppState;
  readonly metrics: StreamsMetrics;
  /** Checks and creates topics, joins the group and starts processing. Resolves once started. */
  start(): Promise<void>;
  /** Resolves when every assigned task runs (restores done); rejects on timeout or failure. */
  waitUntilRunning(timeoutMs?: number): Promise<void>;
  onStateChange(listener: (to: AppState, from: AppState) => void): () => void;
  /**
   * A read-only view of a key-value store over this instance's running tasks; scans are ordered by
   * serialized key bytes across the tasks. For a window or session store use {@link windowStore} /
   * {@link sessionStore}: here only its `all()` answers (its window or session entries, for older callers),
   * other reads throw `MR_STORE_NOT_QUERYABLE` naming the typed view.
   */
  store<K, V>(name: string): ReadOnlyKeyValueStore<K, V>;
  /**
   * A read-only view of a window store over this instance's running tasks.
   *
   * @example
   * ```ts
   * for await (const w of app.windowStore<string, Timestamped<bigint>>('counts-per-minute').fetch('p-1', 0, Date.now()))
   *   console.log(w.windowStart, w.value.value);
   * ```
   */
  windowStore<K, V>(name: string): ReadOnlyWindowStore<K, V>;
  /** A read-only view of a session store over this instance's running tasks (like {@link windowStore}). */
  sessionStore<K, V>(name: string): ReadOnlySessionStore<K, V>;
  /** Every instance of this application (group members) with its `application.server` and tasks. */
  instances(): Promise<InstanceMetadata[]>;
  /** The task (`<subtopology>_<partition>`) that holds `key` in `store`, on whichever instance runs it. */
  taskForKey(store: string, key: unknown): string;
  /** The ids of this instance's tasks that are RUNNING (their stores answer queries). */
  runningTaskIds(): string[];
  /** The compiled topology (after start). */
  readonly compiled: CompiledTopology | undefined;
  /** Graceful shutdown: finish the in-flight batch, commit, close tasks, leave the group. */
  close(timeoutMs?: number): Promise<void>;
}

/**
 * Creates an application instance from a topology and exactly the config given: environment variables
 * (`KAFKA_BOOTSTRAP_SERVERS`, `MILLRACE_*`) do not apply here, so code that names a broker talks to that
 * broker. To honour the environment, as `millrace run` does, pass `loadStreamsConfig(input, process.env)`.
 */
export function createStreamsApp(
  topology: Topology,
  config: StreamsConfigInput | StreamsConfig,
  options: StreamsAppOptions = {},
): StreamsApp {
  return new StreamsAppImpl(
    topology,
    Object.isFrozen(config) ? (config as StreamsConfig) : loadStreamsConfig(config, {}),
    options,
  );
}

class StreamsAppImpl implements StreamsApp {
  readonly config: StreamsConfig;
  readonly metrics = new StreamsMetrics();
  readonly #topology: Topology;
  readonly #lifecycle = new AppLifecycle();
  readonly #log: (level: LogLevel, message: string) => void;
  readonly #options: StreamsAppOptions;
  #kafka: KafkaClient | undefined;
  #thread: StreamThread | undefined;
  #compiled: CompiledTopology | undefined;
  #failure: unknown;
  #closing: Promise<void> | undefined;

  constructor(topology: Topology, config: StreamsConfig, options: StreamsAppOptions) {
    this.#topology = topology;
    this.config = config;
    this.#options = options;
    const appId = config['application.id'];
    this.#log =
      options.log ??
      ((level, m) => console.error(`${new Date().toISOString()} ${level.toUpperCase()} [${appId}] ${m}`));
  }

  get state(): AppState {
    return this.#lifecycle.state;
  }

  get compiled(): CompiledTopology | undefined {
    return this.#compiled;
  }

  onStateChange(listener: (to: AppState, from: AppState) => void): () => void {
    return this.#lifecycle.onChange(listener);
  }

  async start(): Promise<void> {
    if (this.state !== 'CREATED')
      throw new MillraceError(
        'MR_APP_ILLEGAL_STATE',
        `start() called in state ${this.state}: an app starts once`,
      );
    const c = this.config;
    const appId = c['application.id'];
    const appStateDir = join(c['state.dir'], appId);
    this.#kafka = createKafkaClient({
      bootstrapServers: c['bootstrap.servers'],
      clientId: `${c['client.id']}-${appId}`,
    });
    try {
      const { compiled } = await prepareTopics(this.#topology, this.#kafka.admin(), {
        applicationId: appId,
        replicationFactor: c['replication.factor'],
        dlqSuffix:
          c['deserialization.exception.handler'] === 'dlq' || c['processing.exception.handler'] === 'dlq'
            ? c['dlq.topic.suffix']
            : undefined,
        log: (m) => this.#log('info', m),
      });
      this.#compiled = compiled;
      this.#lifecycle.transitionTo('REBALANCING');
      this.#thread = new StreamThread({
        config: c,
        compiled,
        kafka: this.#kafka,
        openBackend: backendFactory(c['state.backend'], appStateDir),
        localTaskIds: () => localTaskIds(appStateDir),
        processId: loadProcessId(appStateDir),
        metrics: this.metrics,
        log: this.#log,
        onRestoreProgress: (p) => this.#restoreProgress(p),
        onRunningChange: (running) => {
          if (this.state === 'REBALANCING' || this.state === 'RUNNING')
            this.#lifecycle.transitionTo(running ? 'RUNNING' : 'REBALANCING');
        },
      });
      this.#thread.start().catch((err: unknown) => this.#fail(err));
    } catch (err) {
      await this.#fail(err);
      throw err;
    }
  }

  waitUntilRunning(timeoutMs = 120_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.state === 'RUNNING') return done(resolve);
        if (this.state === 'ERROR' || this.state === 'PENDING_ERROR')
          return done(() => reject(this.#failure));
        if (this.state === 'NOT_RUNNING' || this.state === 'PENDING_SHUTDOWN') {
          return done(() =>
            reject(
              new MillraceError(
                'MR_APP_NOT_RUNNING',
                'the application was closed while waiting for it to run',
              ),
            ),
          );
        }
      };
      const timer = setTimeout(
        () =>
          done(() =>
            reject(
              new MillraceError(
                'MR_APP_NOT_RUNNING',
                `the application did not reach RUNNING within ${timeoutMs} ms (state ${this.state})`,
              ),
            ),
          ),
        timeoutMs,
      );
      const off = this.onStateChange(check);
      const done = (f: () => void) => {
        clearTimeout(timer);
        off();
        f();
      };
      check();
    });
  }

  store<K, V>(name: string): ReadOnlyKeyValueStore<K, V> {
    const type = this.#compiled?.subtopologies.flatMap((s) => s.stores).find((s) => s.name === name)?.type;
    if (type === 'window' || type === 'session') return this.#windowedAsKeyValue<K, V>(name, type);
    const spec = this.#storeSpec(name, 'key-value');
    return compositeStore<K, V>(
      name,
      () => this.#thread?.tasks.values() ?? [],
      (key) => spec.keySerde.serialize(key),
    );
  }

  windowStore<K, V>(name: string): ReadOnlyWindowStore<K, V> {
    const spec = this.#storeSpec(name, 'window');
    return compositeWindowStore<K, V>(
      name,
      spec.windowed?.retentionMs ?? 0,
      () => this.#thread?.tasks.values() ?? [],
      (key) => spec.keySerde.serialize(key),
    );
  }

  sessionStore<K, V>(name: string): ReadOnlySessionStore<K, V> {
    const spec = this.#storeSpec(name, 'session');
    return compositeSessionStore<K, V>(
      name,
      spec.windowed?.retentionMs ?? 0,
      () => this.#thread?.tasks.values() ?? [],
    );
  }

  /**
   * `store()` of a window or session store, kept for callers written before the typed views: `all()`
   * iterates the window (session) entries of every running task; every other read names the typed view.
   */
  #windowedAsKeyValue<K, V>(name: string, type: 'window' | 'session'): ReadOnlyKeyValueStore<K, V> {
    const accessor = type === 'window' ? 'windowStore' : 'sessionStore';
    const typed = type === 'window' ? this.windowStore<K, V>(name) : this.sessionStore<K, V>(name);
    const wrong = (): never => {
      throw new MillraceError(
        'MR_STORE_NOT_QUERYABLE',
        `store "${name}" is a ${type} store: read it with ${accessor}("${name}")`,
      );
    };
    return {
      name,
      persistent: true,
      get: wrong,
      range: wrong,
      prefixScan: wrong,
      all: () => typed.all() as AsyncIterable<unknown> as AsyncIterable<KeyValue<K, V>>,
      approximateNumEntries: () => typed.approximateNumEntries(),
    };
  }

  /** The spec of a task store of the given type (global stores are not served by these views). */
  #storeSpec(name: string, type: StoreSpec['type']): StoreSpec {
    const compiled = this.#compiled;
    if (!compiled)
      throw new MillraceError(
        'MR_APP_NOT_RUNNING',
        `store "${name}" read before start(): start the application first`,
      );
    const specs = compiled.subtopologies.flatMap((s) => s.stores);
    const spec = specs.find((s) => s.name === name);
    if (!spec)
      throw unknownStore(
        name,
        specs.map((s) => s.name),
      );
    if (spec.type !== type) {
      const accessor = { 'key-value': 'store', window: 'windowStore', session: 'sessionStore' }[spec.type];
      throw new MillraceError(
        'MR_STORE_NOT_QUERYABLE',
        `store "${name}" is a ${spec.type} store, not a ${type} store: read it with ${accessor}("${name}")`,
      );
    }
    return spec;
  }

  instances(): Promise<InstanceMetadata[]> {
    if (!this.#kafka || !this.#compiled)
      return Promise.reject(
        new MillraceError('MR_APP_NOT_RUNNING', 'instances() before start(): start the application first'),
      );
    return describeInstances(this.#kafka.admin(), this.config['application.id'], this.#compiled);
  }

  taskForKey(store: string, key: unknown): string {
    if (!this.#compiled)
      throw new MillraceError(
        'MR_APP_NOT_RUNNING',
        'taskForKey() before start(): start the application first',
      );
    return taskForKey(this.#compiled, store, key);
  }

  runningTaskIds(): string[] {
    return [...(this.#thread?.tasks.values() ?? [])]
      .filter((t) => t.lifecycle.state === 'RUNNING')
      .map((t) => t.id);
  }

  close(timeoutMs = this.config['shutdown.timeout.ms']): Promise<void> {
    this.#closing ??= (async () => {
      if (this.state !== 'ERROR' && this.state !== 'PENDING_ERROR')
        this.#lifecycle.transitionTo('PENDING_SHUTDOWN');
      const stopped = this.#thread?.stop() ?? Promise.resolve();
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), timeoutMs)));
      if ((await Promise.race([stopped.then(() => 'ok' as const), timedOut])) === 'timeout') {
        this.#log('warn', `shutdown did not finish within ${timeoutMs} ms; closing the Kafka clients anyway`);
      }
      clearTimeout(timer);
      await this.#kafka?.close().catch(() => undefined);
      if (this.state === 'PENDING_SHUTDOWN') this.#lifecycle.transitionTo('NOT_RUNNING');
    })();
    return this.#closing;
  }

  async #fail(err: unknown): Promise<void> {
    if (this.state === 'ERROR' || this.state === 'PENDING_ERROR' || this.state === 'NOT_RUNNING') return;
    this.#failure = err;
    this.#log('error', `the application stops on an error: ${(err as Error)?.message ?? String(err)}`);
    if (this.state !== 'PENDING_SHUTDOWN') this.#lifecycle.transitionTo('PENDING_ERROR');
    await this.#thread?.stop();
    await this.#kafka?.close().catch(() => undefined);
    if ((this.state as AppState) === 'PENDING_ERROR') this.#lifecycle.transitionTo('ERROR');
  }

  #restoreProgress(p: StoreRestoreProgress): void {
    const key = `${p.taskId}/${p.store}`;
    const before = this.metrics.restoreProgress.get(key);
    this.metrics.restoredRecordsTotal += p.restored - (before?.restored ?? 0);
    this.metrics.restoreProgress.set(key, { restored: p.restored, total: p.total, done: p.done });
    const pct = p.total === 0 ? 100 : Math.floor((100 * p.restored) / p.total);
    const beforePct = before && before.total > 0 ? Math.floor((100 * before.restored) / before.total) : -1;
    // An empty changelog is not news; a real restore is logged at start, every 10% and at the end.
    if (p.total > 0 && (p.done || Math.floor(pct / 10) !== Math.floor(beforePct / 10))) {
      this.#log(
        'info',
        `restoring ${p.store} of task ${p.taskId} from ${p.changelog}: ${p.restored}/${p.total} records${p.done ? ' (done)' : ''}`,
      );
    }
    this.#options.onRestoreProgress?.(p);
  }
}
