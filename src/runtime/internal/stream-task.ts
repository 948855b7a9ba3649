import {
  checkpointKey,
  createWriteBuffer,
  type ChangelogSink,
  type StoreBackend,
  type WriteBuffer,
} from '../../../state/index.ts';
import type { ThreadCache } from '../../../state/internal/thread-cache.ts';
import type { StateStore } from '../../../state/types.ts';
import type { OffsetAndMetadata } from '../../kafka/index.ts';
import { createTask, type SourceRecord, type Task } from '../../processor/index.ts';
import type { StoreSpec, SubtopologySpec } from '../../processor/subtopology-spec.ts';
import { TaskLifecycle, type TaskLifecycleState } from '../task-lifecycle.ts';
import { toProducerRecord, type OutputCollector } from './output-collector.ts';
import { PartitionGroup } from './partition-group.ts';
import { buildStore } from './store-factory.ts';
import { encodeStreamTime } from './stream-time-metadata.ts';

/** What a stream task needs from its thread. */
export interface StreamTaskOptions {
  applicationId: string;
  subtopology: SubtopologySpec;
  partition: number;
  backend: StoreBackend;
  output: OutputCollector;
  onStateChange?: (taskId: string, from: TaskLifecycleState, to: TaskLifecycleState) => void;
  /** A processor counted a dropped (late) record. */
  onDroppedRecord?: () => void;
  /** The record cache of the task's stream thread, shared by its tasks (`statestore.cache.max.bytes`). */
  threadCache: ThreadCache;
  /** The stream time committed with the task's input offsets (see stream-time-metadata.ts), if any. */
  initialStreamTimeMs?: number | undefined;
}

/** A logged store's changelog partition. */
export interface ChangelogPartition {
  store: string;
  topic: string;
  partition: number;
}

/** The changelog partitions of a task's logged stores (partition p of each changelog for task `<sub>_p`). */
export function changelogPartitionsOf(subtopology: SubtopologySpec, partition: number): ChangelogPartition[] {
  return subtopology.stores
    .filter((s) => s.logged && s.changelogTopic !== undefined)
    .map((s) => ({ store: s.name, topic: s.changelogTopic!, partition }));
}

/**
 * One task of the Kafka runtime: the processor executor of its sub-topology and partition, its stores
 * (write buffer over its own backend), its input queues, and the input offsets it has processed. The
 * thread drives it: restore → process → commit → suspend/close.
 */
export class StreamTask {
  readonly id: string;
  readonly partition: number;
  readonly subtopology: SubtopologySpec;
  readonly lifecycle: TaskLifecycle;
  readonly backend: StoreBackend;
  readonly writeBuffer: WriteBuffer;
  readonly queue = new PartitionGroup();
  /** Input topic → next offset to consume (the offset to commit). */
  readonly consumed = new Map<string, bigint>();
  readonly #executor: Task;
  readonly #output: OutputCollector;
  readonly #cache: ThreadCache;
  #initialized = false;
  #stateFlush: Promise<void> | undefined;
  #changelogPartitions: ChangelogPartition[] | undefined;

  constructor(options: StreamTaskOptions) {
    this.subtopology = options.subtopology;
    this.partition = options.partition;
    this.id = `${options.subtopology.id}_${options.partition}`;
    this.backend = options.backend;
    this.#output = options.output;
    this.#cache = options.threadCache;
    this.writeBuffer = createWriteBuffer(options.backend);
    this.lifecycle = new TaskLifecycle(this.id, (from, to) => options.onStateChange?.(this.id, from, to));
    const changelogTopics = new Map<string, string>();
    for (const s of options.subtopology.stores)
      if (s.changelogTopic) changelogTopics.set(s.name, s.changelogTopic);
    const changelog: ChangelogSink = {
      append: (store, key, value) => {
        const topic = changelogTopics.get(store);
        if (topic === undefined) return;
        this.#output.add(
          this.id,
          'changelog',
          toProducerRecord(topic, key, value, Date.now(), [], this.partition),
        );
      },
    };
    this.#executor = createTask({
      applicationId: options.applicationId,
      subtopology: options.subtopology,
      partition: options.partition,
      taskId: this.id,
      ...(options.onDroppedRecord ? { onDroppedRecord: options.onDroppedRecord } : {}),
      ...(options.initialStreamTimeMs === undefined
        ? {}
        : { initialStreamTimeMs: options.initialStreamTimeMs }),
      collector: {
        send: (topic, key, value, timestamp, headers, partition) =>
          this.#output.add(
            this.id,
            'sink',
            toProducerRecord(topic, key, value, timestamp, headers, partition),
          ),
      },
      storeFactory: (spec: StoreSpec) =>
        buildStore(spec, {
          writeBuffer: this.writeBuffer,
          changelog,
          cache: {
            thread: this.#cache,
            taskId: this.id,
            recordContext: () => this.#executor.currentRecordContext(),
          },
        }),
    });
  }

  /** The changelog partitions this task restores from and writes to. */
  changelogPartitions(): ChangelogPartition[] {
    this.#changelogPartitions ??= changelogPartitionsOf(this.subtopology, this.partition);
    return this.#changelogPartitions;
  }

  /** Creates the stores and initializes processors (once restored: processors may read stores in init). */
  initialize(): void {
    if (this.#initialized) return;
    this.#executor.init();
    this.#initialized = true;
  }

  get executor(): Task {
    return this.#executor;
  }

  getStore(name: string): StateStore | undefined {
    return this.#executor.getStateStore(name);
  }

  /** Processes one record; remembers its offset for the next commit. */
  process(record: SourceRecord): void | Promise<void> {
    this.consumed.set(record.topic, BigInt(record.offset) + 1n);
    return this.#executor.process(record);
  }

  /** The input offsets to commit, each with the task's stream time as its metadata (Kafka Streams' format). */
  offsetsToCommit(): OffsetAndMetadata[] {
    if (this.consumed.size === 0) return [];
    const metadata = encodeStreamTime(this.#executor.streamTimeMs());
    return [...this.consumed].map(([topic, offset]) => ({
      topic,
      partition: this.partition,
      offset,
      metadata,
    }));
  }

  /**
   * Called by the thread at the start of every commit of this task, before its output is flushed (inside
   * the transaction under exactly_once_v2): the place where record caches forward what they hold, as Kafka
   * Streams' `prepareCommit` flushes its caches. Records forwarded here are part of this commit.
   */
  prepareCommit(): void | Promise<void> {
    if (!this.#initialized || this.lifecycle.state !== 'RUNNING') return undefined;
    return this.#executor.flushCaches();
  }

  /**
   * Starts writing the committed write buffer and its checkpoint to the backend and returns at once: the
   * backend may apply it on another thread (LMDB's write thread) while this thread processes on. Reads
   * meanwhile see the writes through the buffer's committing layer. Its outcome is collected by
   * {@link settleStateFlush} (the next commit, or close). Ordering does not matter for recovery: the outputs
   * and changelog records of the commit are acknowledged before this starts, and the checkpoint lands in the
   * same backend transaction as the state, so a crash before it lands replays the changelog from the older
   * checkpoint.
   */
  startStateFlush(positions: Map<string, bigint> | undefined): void {
    const flush = this.writeBuffer.flush(this.checkpointsFor(positions));
    flush.catch(() => undefined); // collected by settleStateFlush
    this.#stateFlush = flush;
  }

  /** Waits for the state flush started by the last commit; rethrows its failure. */
  async settleStateFlush(): Promise<void> {
    const flush = this.#stateFlush;
    if (flush === undefined) return;
    this.#stateFlush = undefined;
    await flush;
  }

  /** The checkpoint of this task's changelog positions after a commit. */
  checkpointsFor(positions: Map<string, bigint> | undefined): Map<string, bigint> {
    const out = new Map<string, bigint>();
    if (!positions) return out;
    for (const c of this.changelogPartitions()) {
      const key = checkpointKey(c.topic, c.partition);
      const p = positions.get(key);
      if (p !== undefined) out.set(key, p);
    }
    return out;
  }

  /** Closes the processors; `clean` commits nothing more, the caller has already committed. */
  async close(): Promise<void> {
    if (this.lifecycle.state === 'CLOSED') return;
    try {
      if (this.#initialized) this.#executor.close();
    } finally {
      // A clean close committed (and so flushed) first; a dirty one drops what the cache still held.
      for (const spec of this.subtopology.stores) this.#cache.close(`${this.id}-${spec.name}`);
      this.queue.clear();
      this.lifecycle.transitionTo('CLOSED');
      // A failed last flush leaves state and checkpoint behind together: the next owner restores the rest.
      await this.settleStateFlush().catch(() => undefined);
      await this.backend.close();
    }
  }
}
