import type { ExtractedTimestamp, TimestampExtractor } from './timestamp-extractor.ts';

/**
 * The default extractor: the Kafka record's own timestamp (producer create time or broker log-append
 * time), as Kafka Streams' default `FailOnInvalidTimestamp` does for valid timestamps.
 *
 * @example
 * ```ts
 * builder.stream('in', { timestampExtractor: recordTimestampExtractor() });
 * ```
 */
export function recordTimestampExtractor(): TimestampExtractor {
  return RECORD_TIMESTAMP;
}

const RECORD_TIMESTAMP: TimestampExtractor = Object.freeze({
  extract: (record: { readonly timestamp: number }): ExtractedTimestamp => ({
    timestampMs: record.timestamp,
  }),
});
