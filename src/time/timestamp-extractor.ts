import type { Headers } from '../processor/record.ts';

/**
 * Where a record's event time comes from (Kafka Streams' `TimestampExtractor`). A source applies its
 * extractor to every record after deserializing it and before the task's stream time advances: the
 * extracted milliseconds become the record's timestamp (windows, grace, joins and sinks use it), and an
 * extractor that knows the time more precisely also returns it in nanoseconds, which the task carries in
 * the {@link TIMESTAMP_NANOS_HEADER} header. An extractor that cannot find a valid time throws; the task
 * reports that as a deserialization-stage error (`MR_SERDE`), so the record is dead-lettered.
 *
 * @example
 * ```ts
 * builder.stream('events', { valueSerde: jsonSerde(), timestampExtractor: valueFieldTimestampExtractor('occurredAt') });
 * ```
 */
export interface TimestampExtractor {
  /**
   * The record's event time. `partitionTimeMs` is the task's stream time before this record (-1 before
   * the first record), for extractors that fall back to it (Kafka Streams' `UsePartitionTimeOnInvalidTimestamp`).
   */
  extract(record: ExtractorInput, partitionTimeMs: number): ExtractedTimestamp;
}

/** What an extractor sees: the deserialized record and where it came from. */
export interface ExtractorInput {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: unknown;
  readonly value: unknown;
  /** The Kafka record timestamp (ms). */
  readonly timestamp: number;
  readonly headers: Headers;
}

/** An extracted event time: milliseconds, and the exact nanoseconds when the source knows them. */
export interface ExtractedTimestamp {
  /** Milliseconds since the epoch (floor of `epochNanos / 1e6` when both are set); the record's timestamp. */
  readonly timestampMs: number;
  /** Nanoseconds since the epoch, exactly; set by extractors that read a nanosecond-precise time. */
  readonly epochNanos?: bigint;
}

/**
 * The header a task writes on records whose extractor returned nanoseconds: the epoch nanoseconds as
 * decimal ASCII digits (e.g. `1700000000123456789`; a leading `-` before the epoch). Processors that need
 * full precision read it with {@link recordEpochNanos}.
 */
export const TIMESTAMP_NANOS_HEADER = 'millrace.ts.nanos';
