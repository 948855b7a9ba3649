import { createWriteBuffer } from '../../../state/index.ts';
import { ThreadCache } from '../../../state/internal/thread-cache.ts';
import type { StoreCacheContext } from '../../../state/store-builder.ts';
import { createMemoryBackend } from '../../../state/memory/index.ts';
import type { KeyValueStore, StateStore } from '../../../state/types.ts';
import type { SessionStore, WindowStore } from '../../../state/window-store.ts';
import { MillraceError } from '../../errors/index.ts';
import { isPromise } from '../../processor/internal/sequence.ts';
import type { Headers } from '../../processor/record.ts';
import type { StoreSpec } from '../../processor/subtopology-spec.ts';
import { createTask, type Task } from '../../processor/task.ts';
import { buildStore } from '../../runtime/internal/store-factory.ts';
import type { Serde } from '../../serdes/serde.ts';
import type { CompiledTopology, Topology } from '../../topology/topology.ts';
import type { TestInputTopic, TestOutputTopic } from '../test-topics.ts';
import type { TopologyTestDriver, TopologyTestDriverOptions } from '../topology-test-driver.ts';
import { InputTopic, OutputTopic, type RawRecord } from './test-topics-impl.ts';

interface Pending extends RawRecord {
  readonly topic: string;
}

/** The implementation of {@link TopologyTestDriver}. */
export class DriverImpl implements TopologyTestDriver {
  readonly #compiled: CompiledTopology;
  #droppedRecords = 0;
  readonly #tasks = new Map<string, Task>();
  readonly #taskByTopic = new Map<string, Task>();
  readonly #globalStores = new Map<string, StateStore>();
  readonly #outputs = new Map<string, RawRecord[]>();
  readonly #offsets = new Map<string, number>();
  readonly #queue: Pending[] = [];
  readonly #produced = new Set<string>();
  #wallClock: number;
  #tail: Promise<void> | undefined;
  #closed = false;

  constructor(topology: Topology, options: TopologyTestDriverOptions) {
    this.#compiled = topology.compile({
      applicationId: options.applicationId ?? 'dummy-topology-test-driver-app-id',
    });
    this.#wallClock = options.initialWallClockTimeMs ?? Date.now();
    const clock = (): number => this.#wallClock;
    const collector = {
      send: (
        topic: string,
        key: Uint8Array | null,
        value: Uint8Array | null,
        timestamp: number,
        headers: Headers,
      ) => this.#capture(topic, { key, value, timestamp, headers }),
    };
    const cache = new ThreadCache(options.cacheMaxBytes ?? 10 * 1024 * 1024);
    const storeFactory = (spec: StoreSpec, taskId: string): StateStore =>
      memoryStore(spec, {
        thread: cache,
        taskId,
        recordContext: () => this.#tasks.get(taskId)?.currentRecordContext(),
      });
    for (const sub of this.#compiled.globalSubtopologies) {
      const task = createTask({
        applicationId: this.#compiled.applicationId,
        subtopology: sub,
        partition: 0,
        collector,
        clock,
        taskId: `global-${sub.id}`,
        storeFactory: (spec) => {
          const store = memoryStore(spec);
          this.#globalStores.set(spec.name, store);
          return store;
        },
      });
      this.#register(task);
    }
    // Global stores are created by the global tasks' init, before any stream task can read them.
    for (const task of this.#tasks.values()) task.init();
    for (const sub of this.#compiled.subtopologies) {
      this.#register(
        createTask({
          applicationId: this.#compiled.applicationId,
          subtopology: sub,
          partition: 0,
          collector,
          clock,
          storeFactory,
          onDroppedRecord: () => this.#droppedRecords++,
          globalStore: (n) => this.#globalStores.get(n),
        }),
      );
    }
    for (const task of this.#tasks.values()) if (task.state === 'created') task.init();
    for (const store of this.#compiled.globalStores)
      if (!this.#globalStores.has(store.name)) this.#globalStores.set(store.name, memoryStore(store));
  }

  createInputTopic<K, V>(
    topic: string,
    keySerde: Serde<K>,
    valueSerde: Serde<V>,
    options: { startTimestampMs?: number; autoAdvanceMs?: number } = {},
  ): TestInputTopic<K, V> {
    if (!this.#taskByTopic.has(topic)) {
      throw new MillraceError(
        'MR_TEST_DRIVER',
        `the topology does not read topic "${topic}" (it reads ${[...this.#taskByTopic.keys()].join(', ')}): pipe into one of those`,
      );
    }
    return new InputTopic<K, V>(
      keySerde,
      valueSerde,
      options.startTimestampMs ?? this.#wallClock,
      options.autoAdvanceMs ?? 0,
      (r) => this.#pipe({ ...r, topic }),
    );
  }

  createOutputTopic<K, V>(topic: string, keySerde: Serde<K>, valueSerde: Serde<V>): TestOutputTopic<K, V> {
    let records = this.#outputs.get(topic);
    if (records === undefined) {
      records = [];
      this.#outputs.set(topic, records);
    }
    return new OutputTopic<K, V>(topic, keySerde, valueSerde, records);
  }

  advanceWallClockTime(ms: number): Promise<void> {
    this.#checkOpen();
    this.#wallClock += ms;
    return this.#enqueue(() => this.#punctuateAll());
  }

  getKeyValueStore<K, V>(name: string): KeyValueStore<K, V> {
    for (const task of this.#tasks.values()) {
      const store = task.stores().get(name);
      if (store !== undefined) return store as KeyValueStore<K, V>;
    }
    const global = this.#globalStores.get(name);
    if (global !== undefined) return global as KeyValueStore<K, V>;
    throw new MillraceError(
      'MR_TEST_DRIVER',
      `the topology has no store "${name}": name the store with { storeName } (Materialized) or addStateStore`,
    );
  }

  getWindowStore<K, V>(name: string): WindowStore<K, V> {
    return this.#typedStore(name, 'window') as WindowStore<K, V>;
  }

  getSessionStore<K, V>(name: string): SessionStore<K, V> {
    return this.#typedStore(name, 'session') as SessionStore<K, V>;
  }

  #typedStore(name: string, kind: 'window' | 'session'): StateStore {
    const store = this.getKeyValueStore(name) as unknown as StateStore & { kind?: string };
    if (store.kind !== kind) {
      throw new MillraceError(
        'MR_TEST_DRIVER',
        `store "${name}" is not a ${kind} store: use get${store.kind === 'window' ? 'Window' : store.kind === 'session' ? 'Session' : 'KeyValue'}Store`,
      );
    }
    return store;
  }

  producedTopicNames(): string[] {
    return [...this.#produced];
  }

  droppedRecordCount(): number {
    return this.#droppedRecords;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const task of this.#tasks.values()) task.close();
  }

  #register(task: Task): void {
    this.#tasks.set(task.id, task);
    for (const t of task.sourceTopics) this.#taskByTopic.set(t, task);
  }

  #capture(topic: string, record: RawRecord): void {
    let records = this.#outputs.get(topic);
    if (records === undefined) {
      records = [];
      this.#outputs.set(topic, records);
    }
    const internal = this.#compiled.internalTopics.some((t) => t.name === topic);
    if (!internal) {
      records.push(record);
      this.#produced.add(topic);
    }
    // Repartition topics (and user topics the topology reads back) are routed in memory.
    if (this.#taskByTopic.has(topic)) this.#queue.push({ ...record, topic });
  }

  #pipe(record: Pending): Promise<void> {
    this.#checkOpen();
    return this.#enqueue(() => {
      this.#queue.push(record);
      try {
        return this.#drain();
      } catch (err) {
        this.#queue.length = 0; // a failed record does not leave its descendants behind
        throw err;
      }
    });
  }

  /** Runs `work` after everything piped before it (records piped without await still run in order). */
  #enqueue(work: () => void | Promise<void>): Promise<void> {
    if (this.#tail !== undefined) {
      const next: Promise<void> = this.#tail.then(work).finally(() => {
        if (this.#tail === next) this.#tail = undefined;
      });
      this.#tail = next;
      return next;
    }
    const result = work();
    if (!isPromise(result)) return Promise.resolve();
    const next: Promise<void> = result.finally(() => {
      if (this.#tail === next) this.#tail = undefined;
    });
    this.#tail = next;
    return next;
  }

  /** Processes queued records, synchronously while every processor is synchronous. */
  #drain(): void | Promise<void> {
    while (this.#queue.length > 0) {
      const r = this.#queue.shift() as Pending;
      const task = this.#taskByTopic.get(r.topic) as Task;
      const offset = this.#offsets.get(r.topic) ?? 0;
      this.#offsets.set(r.topic, offset + 1);
      const processed = task.process({
        topic: r.topic,
        partition: 0,
        offset,
        key: r.key,
        value: r.value,
        timestamp: r.timestamp,
        headers: r.headers,
      });
      // Kafka's driver commits after every record (so caches flush), then gives wall-clock punctuators a
      // chance.
      const result = isPromise(processed)
        ? processed.then(() => task.flushCaches()).then(() => this.#punctuateAll())
        : then(task.flushCaches(), () => this.#punctuateAll());
      if (isPromise(result)) return result.then(() => this.#drain());
    }
  }

  #punctuateAll(): void | Promise<void> {
    const tasks = [...this.#tasks.values()];
    for (let i = 0; i < tasks.length; i++) {
      const task = tasks[i] as Task;
      const result = then(task.punctuateWallClock(this.#wallClock), () => task.flushCaches());
      if (isPromise(result)) {
        return result.then(async () => {
          for (const t of tasks.slice(i + 1)) {
            await t.punctuateWallClock(this.#wallClock);
            await t.flushCaches();
          }
          await this.#drain();
        });
      }
    }
    if (this.#queue.length > 0) return this.#drain();
  }

  #checkOpen(): void {
    if (this.#closed)
      throw new MillraceError('MR_TEST_DRIVER', 'the TopologyTestDriver is closed: make a new one');
  }
}

/** Runs `next` after `first`, synchronously when `first` was. */
function then(first: void | Promise<void>, next: () => void | Promise<void>): void | Promise<void> {
  return isPromise(first) ? first.then(next) : next();
}

/**
 * An in-memory store made of the state layer's real stack (serdes → cache → write buffer → memory
 * backend).
 */
function memoryStore(spec: StoreSpec, cache?: StoreCacheContext): StateStore {
  const writeBuffer = createWriteBuffer(createMemoryBackend());
  // No changelog in the driver: every store is built unlogged, through the runtime's one store factory.
  return buildStore(
    { ...spec, logged: false, changelogTopic: undefined },
    { writeBuffer, changelog: { append: () => {} }, ...(cache === undefined ? {} : { cache }) },
  );
}
