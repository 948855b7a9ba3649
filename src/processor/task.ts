import type { StateStore } from '../../state/types.ts';
import { TaskExecutor } from './internal/task-executor.ts';
import type { RecordCollector } from './record-collector.ts';
import type { Headers, StreamRecord } from './record.ts';
import type { StoreSpec, SubtopologySpec } from './subtopology-spec.ts';

/** A consumed record, still serialized, as the runtime hands it to a task. */
export interface SourceRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly timestamp: number;
  readonly headers: Headers;
}

/** Makes (or hands out an already restored) store for a task. */
export type StoreFactory = (store: StoreSpec, taskId: string) => StateStore;

/** What {@link createTask} needs. */
export interface TaskOptions {
  readonly applicationId: string;
  readonly subtopology: SubtopologySpec;
  readonly partition: number;
  readonly collector: RecordCollector;
  readonly storeFactory: StoreFactory;
  /** Global stores by name, readable from every processor (they are maintained by the global task). */
  readonly globalStore?: (name: string) => StateStore | undefined;
  /** Wall clock (ms); defaults to `Date.now`. The test driver passes its mocked clock. */
  readonly clock?: () => number;
  /** Defaults to `<subtopology.id>_<partition>`. */
  readonly taskId?: string;
  /** Called when a processor counts a dropped record (late, null key), with the processor's name. */
  readonly onDroppedRecord?: (node: string) => void;
  /**
   * The stream time to resume from (default -1: none yet). Kafka Streams commits each partition's time
   * in the offset commit metadata and resumes from it, so windows closed before a restart stay closed;
   * the Kafka runtime does the same and passes the committed value here (runtime/internal/stream-time-metadata.ts).
   */
  readonly initialStreamTimeMs?: number;
}

/** The lifecycle of a task executor. The runtime adds RESTORING/SUSPENDED around it. */
export type TaskState = 'created' | 'running' | 'closed';

/**
 * Runs ONE sub-topology for ONE partition, independent of Kafka: the TopologyTestDriver and the Kafka
 * runtime both drive it. A task is single-threaded: call `process` again only once the previous call
 * (and its promise, if it returned one) is done.
 *
 * Errors: a source serde failure throws `MR_SERDE` before any processor ran (safe to skip the record or
 * send it to a DLQ); a processor failure throws `MR_TASK_PROCESS` with the node, topic, partition, offset.
 *
 * @example
 * ```ts
 * const task = createTask({ applicationId: 'app', subtopology, partition: 3, collector, storeFactory });
 * task.init();
 * await task.process({ topic: 'orders', partition: 3, offset: 42, key, value, timestamp, headers: [] });
 * await task.punctuateWallClock();
 * task.close();
 * ```
 */
export interface Task {
  /** `<subtopologyId>_<partition>`. */
  readonly id: string;
  readonly subtopologyId: number;
  readonly partition: number;
  readonly sourceTopics: readonly string[];
  readonly state: TaskState;
  /** Creates the stores (through the store factory) and calls `init` on every processor. */
  init(): void;
  /**
   * Runs one record through the sub-topology depth-first, then advances stream time (max timestamp seen)
   * and fires the stream-time punctuators that became due. Returns a promise only when some processor
   * or punctuator was asynchronous.
   */
  process(record: SourceRecord): void | Promise<void>;
  /** Fires the wall-clock punctuators due at `nowMs` (default: the task's clock). */
  punctuateWallClock(nowMs?: number): void | Promise<void>;
  /** The largest timestamp processed so far; -1 before the first record. */
  streamTimeMs(): number;
  /** A store of this task (or a global store). */
  getStateStore(name: string): StateStore | undefined;
  /** The stores this task made, by name. */
  stores(): ReadonlyMap<string, StateStore>;
  /**
   * Flushes the record caches of this task's stores, in store order: each writes its dirty entries to the
   * store below and its processor forwards them downstream (Kafka Streams' `flushCache` in
   * `prepareCommit`). The runtime calls it at the start of every commit, the test driver after each record.
   */
  flushCaches(): void | Promise<void>;
  /** The time and headers of the record the current processor is processing (undefined between records). */
  currentRecordContext(): Pick<StreamRecord<unknown, unknown>, 'timestamp' | 'headers'> | undefined;
  /** Calls `close` on every processor and cancels punctuators. Stores are the runtime's to flush and close. */
  close(): void;
}

/** Makes a task for one partition of a sub-topology. */
export function createTask(options: TaskOptions): Task {
  return new TaskExecutor(options);
}
