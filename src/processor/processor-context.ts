import type { StateStore } from '../../state/types.ts';
import type { Cancellable, PunctuationType, Punctuator } from './punctuation.ts';
import type { RecordMetadata, StreamRecord } from './record.ts';

/**
 * What a processor sees of its task (Kafka Streams' `api.ProcessorContext`). One context per processor
 * node per task.
 *
 * @example
 * ```ts
 * init(context) {
 *   this.store = context.getStateStore<KeyValueStore<string, number>>('counts');
 *   context.schedule(60_000, 'wall-clock', (now) => this.flush(now));
 * }
 * ```
 */
export interface ProcessorContext<KForward, VForward> {
  readonly applicationId: string;
  /** `<subtopologyId>_<partition>`, e.g. `0_3`. */
  readonly taskId: string;
  /**
   * Sends a record to every child (or only the named child). Children run depth-first before `forward`
   * returns. When a child is asynchronous, `forward` returns a promise: return or await it if what you do
   * next depends on the child being done (the task awaits it anyway before the next record).
   */
  forward<K extends KForward, V extends VForward>(
    record: StreamRecord<K, V>,
    childName?: string,
  ): void | Promise<void>;
  /** A store connected to this processor (or a global store). Throws `MR_TOPOLOGY_INVALID` otherwise. */
  getStateStore<S extends StateStore>(name: string): S;
  /**
   * Calls `punctuator` every `intervalMs` of stream time (aligned to 0, first call as soon as there is data)
   * or of wall-clock time (first call `intervalMs` from now), as Kafka Streams does. Missed intervals are
   * not replayed: the punctuator runs once and the schedule skips ahead.
   */
  schedule(intervalMs: number, type: PunctuationType, punctuator: Punctuator): Cancellable;
  /** Source topic/partition/offset of the record being processed; undefined inside a punctuator. */
  recordMetadata(): RecordMetadata | undefined;
  /** The task's stream time: the largest record timestamp it has processed (-1 before the first). */
  currentStreamTimeMs(): number;
  /**
   * Counts a record this processor skipped (late for its window, null key) — Kafka Streams' `dropped-records`
   * task sensor; the runtime exports it as a metric.
   */
  recordDropped(): void;
  /** The task's wall-clock time (the test driver's mocked clock under test). */
  currentSystemTimeMs(): number;
}
