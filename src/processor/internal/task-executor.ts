import { asCachedStore, type CachedStore } from '../../../state/internal/cached-store.ts';
import type { StateStore } from '../../../state/types.ts';
import { MillraceError, isMillraceError } from '../../errors/index.ts';
import { TIMESTAMP_NANOS_HEADER, type ExtractedTimestamp } from '../../time/timestamp-extractor.ts';
import type { Processor } from '../processor.ts';
import type { Cancellable, PunctuationType, Punctuator } from '../punctuation.ts';
import type { Headers, RecordMetadata, StreamRecord } from '../record.ts';
import type { NodeSpec, SinkNodeSpec, SourceNodeSpec } from '../subtopology-spec.ts';
import type { SourceRecord, Task, TaskOptions, TaskState } from '../task.ts';
import { NodeContext } from './node-context.ts';
import { PunctuationQueue } from './punctuation-queue.ts';
import { isPromise, sequence } from './sequence.ts';

/** A node as it runs in one task. */
export interface RuntimeNode {
  readonly spec: NodeSpec;
  readonly children: RuntimeNode[];
  processor: Processor<unknown, unknown, unknown, unknown> | undefined;
}

/** The implementation of {@link Task}. */
export class TaskExecutor implements Task {
  readonly id: string;
  readonly subtopologyId: number;
  readonly partition: number;
  readonly sourceTopics: readonly string[];
  readonly applicationId: string;
  readonly #options: TaskOptions;
  readonly #nodes = new Map<string, RuntimeNode>();
  readonly #sourceByTopic = new Map<string, RuntimeNode>();
  readonly #stores = new Map<string, StateStore>();
  readonly #streamTimeQueue = new PunctuationQueue();
  readonly #wallClockQueue = new PunctuationQueue();
  readonly #pending = new Set<Promise<unknown>>();
  /** Records dropped by this task's processors (late, null key), by processor name. */
  readonly droppedRecords = new Map<string, number>();
  readonly clock: () => number;
  #state: TaskState = 'created';
  #streamTime: number;
  #busy = false;
  #metadata: RecordMetadata | undefined;
  #currentNode: string | undefined;
  #currentRecord: StreamRecord<unknown, unknown> | undefined;

  constructor(options: TaskOptions) {
    this.#options = options;
    this.applicationId = options.applicationId;
    this.subtopologyId = options.subtopology.id;
    this.partition = options.partition;
    this.id = options.taskId ?? `${options.subtopology.id}_${options.partition}`;
    this.sourceTopics = options.subtopology.sourceTopics;
    this.clock = options.clock ?? Date.now;
    this.#streamTime = options.initialStreamTimeMs ?? -1;
    for (const spec of options.subtopology.nodes) {
      this.#nodes.set(spec.name, { spec, children: [], processor: undefined });
    }
    for (const node of this.#nodes.values()) {
      if (node.spec.kind === 'sink') continue;
      for (const child of node.spec.children) {
        const c = this.#nodes.get(child);
        if (c === undefined) {
          throw new MillraceError(
            'MR_TOPOLOGY_INVALID',
            `node "${node.spec.name}" has an unknown child "${child}": rebuild the topology`,
          );
        }
        node.children.push(c);
      }
      if (node.spec.kind === 'source') for (const t of node.spec.topics) this.#sourceByTopic.set(t, node);
    }
  }

  recordDropped(node: string): void {
    this.droppedRecords.set(node, (this.droppedRecords.get(node) ?? 0) + 1);
    this.#options.onDroppedRecord?.(node);
  }

  get state(): TaskState {
    return this.#state;
  }

  init(): void {
    if (this.#state !== 'created') throw this.#stateError('init');
    for (const store of this.#options.subtopology.stores) {
      this.#stores.set(store.name, this.#options.storeFactory(store, this.id));
    }
    for (const node of this.#nodes.values()) {
      if (node.spec.kind !== 'processor') continue;
      node.processor = node.spec.supplier();
      this.#currentNode = node.spec.name;
      node.processor.init?.(new NodeContext(this, node));
    }
    this.#currentNode = undefined;
    this.#state = 'running';
  }

  process(record: SourceRecord): void | Promise<void> {
    if (this.#state !== 'running' || this.#busy) throw this.#stateError('process');
    const source = this.#sourceByTopic.get(record.topic);
    if (source === undefined) {
      throw new MillraceError(
        'MR_TASK_STATE',
        `task ${this.id} does not read topic "${record.topic}": route the record to the task of its sub-topology`,
        { taskId: this.id },
      );
    }
    const spec = source.spec as SourceNodeSpec;
    const key = this.#deserialize(spec, record, 'key');
    const value = this.#deserialize(spec, record, 'value');
    const { timestamp, headers } = this.#extractTimestamp(spec, record, key, value);
    const streamRecord: StreamRecord<unknown, unknown> = { key, value, timestamp, headers };
    this.#metadata = {
      topic: record.topic,
      partition: record.partition,
      offset: record.offset,
      headers: record.headers,
    };
    // Stream time advances before processing, as Kafka's partition group does, so processors see it.
    if (timestamp > this.#streamTime) this.#streamTime = timestamp;
    const done = this.#runBusy(() => this.forwardTo(source.children, streamRecord));
    return isPromise(done) ? done.then(() => this.#punctuateStreamTime()) : this.#punctuateStreamTime();
  }

  punctuateWallClock(nowMs?: number): void | Promise<void> {
    if (this.#state !== 'running' || this.#busy) throw this.#stateError('punctuate');
    return this.#punctuate(this.#wallClockQueue, nowMs ?? this.clock());
  }

  streamTimeMs(): number {
    return this.#streamTime;
  }

  getStateStore(name: string): StateStore | undefined {
    return this.#stores.get(name) ?? this.#options.globalStore?.(name);
  }

  stores(): ReadonlyMap<string, StateStore> {
    return this.#stores;
  }

  flushCaches(): void | Promise<void> {
    if (this.#state !== 'running' || this.#busy) throw this.#stateError('flush its caches');
    const cached: CachedStore<unknown, unknown>[] = [];
    for (const store of this.#stores.values()) {
      const c = asCachedStore(store);
      if (c !== undefined) cached.push(c);
    }
    if (cached.length === 0) return undefined;
    return this.#runBusy(() => sequence(cached, (c) => c.flushCache()));
  }

  currentRecordContext(): StreamRecord<unknown, unknown> | undefined {
    return this.#currentRecord;
  }

  close(): void {
    if (this.#state === 'closed') return;
    this.#streamTimeQueue.clear();
    this.#wallClockQueue.clear();
    const errors: unknown[] = [];
    for (const node of this.#nodes.values()) {
      try {
        node.processor?.close?.();
      } catch (err) {
        errors.push(err);
      }
    }
    this.#state = 'closed';
    if (errors.length > 0) {
      throw new MillraceError(
        'MR_TASK_PROCESS',
        `task ${this.id}: ${errors.length} processor(s) failed to close: see cause`,
        { taskId: this.id, cause: errors[0] },
      );
    }
  }

  // ---- used by NodeContext ----

  /** Runs `record` through `children` in order (depth-first). */
  forwardTo(children: readonly RuntimeNode[], record: StreamRecord<unknown, unknown>): void | Promise<void> {
    return sequence(children, (child) => this.#run(child, record));
  }

  /** Keeps a promise a processor did not await, so the task awaits it before the next record. */
  track(promise: Promise<unknown>): void {
    this.#pending.add(promise);
    const remove = (): void => void this.#pending.delete(promise);
    promise.then(remove, remove);
  }

  schedule(node: string, intervalMs: number, type: PunctuationType, punctuator: Punctuator): Cancellable {
    if (!(intervalMs >= 1)) {
      throw new MillraceError(
        'MR_TOPOLOGY_INVALID',
        `processor "${node}" scheduled a punctuator every ${intervalMs} ms: pass an interval of at least 1 ms`,
      );
    }
    return type === 'stream-time'
      ? this.#streamTimeQueue.add(0, intervalMs, node, punctuator) // aligned to 0: fires as soon as there is data
      : this.#wallClockQueue.add(this.clock() + intervalMs, intervalMs, node, punctuator);
  }

  recordMetadata(): RecordMetadata | undefined {
    return this.#metadata;
  }

  storeFor(node: string, allowed: readonly string[], name: string): StateStore {
    const store = allowed.includes(name)
      ? (this.#stores.get(name) ?? this.#options.globalStore?.(name))
      : this.#options.globalStore?.(name);
    if (store === undefined) {
      throw new MillraceError(
        'MR_TOPOLOGY_INVALID',
        `processor "${node}" asked for store "${name}", which is not connected to it: pass the store name when adding the processor (process(supplier, { stores: ['${name}'] }))`,
        { taskId: this.id },
      );
    }
    return store;
  }

  // ---- internals ----

  #run(node: RuntimeNode, record: StreamRecord<unknown, unknown>): unknown {
    if (node.spec.kind === 'sink') return this.#send(node.spec, record);
    this.#currentNode = node.spec.name;
    // The record context of cached writes; the parent's comes back once the child returns.
    const parent = this.#currentRecord;
    this.#currentRecord = record;
    try {
      return node.processor?.process(record);
    } finally {
      this.#currentRecord = parent;
    }
  }

  #send(sink: SinkNodeSpec, record: StreamRecord<unknown, unknown>): void {
    let key: Uint8Array | null;
    let value: Uint8Array | null;
    try {
      key = record.key === null || record.key === undefined ? null : sink.keySerde.serialize(record.key);
      value =
        record.value === null || record.value === undefined ? null : sink.valueSerde.serialize(record.value);
    } catch (cause) {
      throw isMillraceError(cause)
        ? cause
        : new MillraceError(
            'MR_SERDE',
            `sink "${sink.name}" could not serialize a record for topic "${sink.topic}": set a matching key/value serde on the sink`,
            { cause, taskId: this.id },
          );
    }
    this.#options.collector.send(sink.topic, key, value, record.timestamp, record.headers);
  }

  #deserialize(spec: SourceNodeSpec, record: SourceRecord, part: 'key' | 'value'): unknown {
    const bytes = record[part];
    if (bytes === null) return null;
    try {
      return (part === 'key' ? spec.keySerde : spec.valueSerde).deserialize(bytes);
    } catch (cause) {
      throw new MillraceError(
        'MR_SERDE',
        `task ${this.id} could not deserialize the ${part} of ${record.topic}-${record.partition}@${record.offset}: fix the producer or the source serde (the record can go to the DLQ)`,
        {
          cause,
          taskId: this.id,
          details: { topic: record.topic, partition: record.partition, offset: record.offset },
        },
      );
    }
  }

  /**
   * Applies the source's timestamp extractor (a deserialization-stage step, as in Kafka Streams: a failure
   * is `MR_SERDE` with the record's coordinates, so the runtime dead-letters it before any processor ran).
   * Nanoseconds, when extracted, replace any earlier `millrace.ts.nanos` header.
   */
  #extractTimestamp(
    spec: SourceNodeSpec,
    record: SourceRecord,
    key: unknown,
    value: unknown,
  ): { timestamp: number; headers: Headers } {
    const extractor = spec.timestampExtractor;
    if (extractor === undefined) return { timestamp: record.timestamp, headers: record.headers };
    let extracted: ExtractedTimestamp;
    try {
      extracted = extractor.extract(
        {
          topic: record.topic,
          partition: record.partition,
          offset: record.offset,
          key,
          value,
          timestamp: record.timestamp,
          headers: record.headers,
        },
        this.#streamTime,
      );
      if (!Number.isSafeInteger(extracted.timestampMs) || extracted.timestampMs < 0) {
        throw new MillraceError(
          'MR_TIMESTAMP_INVALID',
          `the extractor returned ${extracted.timestampMs}, not a non-negative integer of milliseconds`,
        );
      }
    } catch (cause) {
      const why = cause instanceof Error ? cause.message : String(cause);
      throw new MillraceError(
        'MR_SERDE',
        `task ${this.id} could not extract the timestamp of ${record.topic}-${record.partition}@${record.offset} (${why}): fix the producer or the source's timestamp extractor (the record can go to the DLQ)`,
        {
          cause,
          taskId: this.id,
          details: { topic: record.topic, partition: record.partition, offset: record.offset },
        },
      );
    }
    if (extracted.epochNanos === undefined)
      return { timestamp: extracted.timestampMs, headers: record.headers };
    const nanos = new TextEncoder().encode(extracted.epochNanos.toString());
    return {
      timestamp: extracted.timestampMs,
      headers: [
        ...record.headers.filter((h) => h.key !== TIMESTAMP_NANOS_HEADER),
        { key: TIMESTAMP_NANOS_HEADER, value: nanos },
      ],
    };
  }

  async #finishAsync(first: unknown): Promise<void> {
    try {
      await first;
      while (this.#pending.size > 0) await Promise.all([...this.#pending]);
    } catch (err) {
      throw this.#wrap(err);
    } finally {
      this.#done();
    }
  }

  #done(): void {
    this.#busy = false;
    this.#metadata = undefined;
    this.#currentRecord = undefined;
    this.#pending.clear();
  }

  #punctuateStreamTime(): void | Promise<void> {
    if (this.#streamTime < 0) return;
    return this.#punctuate(this.#streamTimeQueue, this.#streamTime);
  }

  #punctuate(queue: PunctuationQueue, now: number): void | Promise<void> {
    return this.#runBusy(() =>
      queue.maybePunctuate(now, (node, punctuate) => {
        this.#currentNode = node;
        return punctuate();
      }),
    );
  }

  /** Runs work of this task (a record, punctuators, a cache flush) and what it left pending; errors wrapped. */
  #runBusy(work: () => unknown): void | Promise<void> {
    this.#busy = true;
    let result: unknown;
    try {
      result = work();
    } catch (err) {
      const wrapped = this.#wrap(err);
      this.#done();
      throw wrapped;
    }
    if (!isPromise(result) && this.#pending.size === 0) {
      this.#done();
      return undefined;
    }
    return this.#finishAsync(result);
  }

  #wrap(err: unknown): unknown {
    if (isMillraceError(err)) return err;
    const where =
      this.#metadata === undefined
        ? 'while punctuating'
        : `on ${this.#metadata.topic}-${this.#metadata.partition}@${this.#metadata.offset}`;
    return new MillraceError(
      'MR_TASK_PROCESS',
      `processor "${this.#currentNode ?? '?'}" of task ${this.id} failed ${where}: ${err instanceof Error ? err.message : String(err)}. Fix the processor, or configure the processing error handler to continue or send to the DLQ`,
      {
        cause: err,
        taskId: this.id,
        details: { node: this.#currentNode, ...this.#metadata, headers: undefined },
      },
    );
  }

  #stateError(what: string): MillraceError {
    return new MillraceError(
      'MR_TASK_STATE',
      `task ${this.id} cannot ${what} while ${this.#busy ? 'busy with another record (await the previous call)' : this.#state}: call init() first and never after close()`,
      { taskId: this.id },
    );
  }
}
