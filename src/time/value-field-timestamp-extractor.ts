import { MillraceError } from '../errors/index.ts';
import { epochNanosToMillis, tryParseRfc3339, type Rfc3339Options } from './rfc3339.ts';
import type { ExtractedTimestamp, ExtractorInput, TimestampExtractor } from './timestamp-extractor.ts';

/** Options of {@link valueFieldTimestampExtractor}. */
export type ValueFieldTimestampOptions = Rfc3339Options;

/**
 * Reads the event time from a field of the (deserialized, object) value, written as an RFC 3339 timestamp
 * and parsed at full nanosecond precision (never through `Date`): the record's timestamp becomes its
 * milliseconds (rounded toward the past) and the exact nanoseconds travel in the `millrace.ts.nanos`
 * header. `field` is a property name or a dotted path (`meta.occurredAt`). A missing field, a value that
 * is not an object, an invalid timestamp, or a time before the epoch (Kafka timestamps are non-negative)
 * throws `MR_TIMESTAMP_INVALID`, which the task reports as `MR_SERDE` so the record is dead-lettered.
 *
 * @example
 * ```ts
 * builder.stream('visits', { valueSerde: jsonSerde(), timestampExtractor: valueFieldTimestampExtractor('occurredAt') });
 * // {"occurredAt":"2026-01-02T10:00:00.123456789+01:00"} → timestamp 1767344400123, header 1767344400123456789
 * ```
 */
export function valueFieldTimestampExtractor(
  field: string,
  options: ValueFieldTimestampOptions = {},
): TimestampExtractor {
  const path = field.split('.');
  if (field === '' || path.some((p) => p === '')) {
    throw new MillraceError(
      'MR_TOPOLOGY_INVALID',
      `timestamp field "${field}" is not a property name or dotted path: name the value's field, e.g. "occurredAt"`,
    );
  }
  return Object.freeze({
    extract(record: ExtractorInput): ExtractedTimestamp {
      let v: unknown = record.value;
      for (const p of path) {
        if (typeof v !== 'object' || v === null || !Object.hasOwn(v, p)) {
          throw new MillraceError(
            'MR_TIMESTAMP_INVALID',
            `the value has no timestamp field "${field}": produce it as an RFC 3339 string`,
          );
        }
        v = (v as Record<string, unknown>)[p];
      }
      const parsed = tryParseRfc3339(v, options);
      if (!parsed.ok) {
        throw new MillraceError('MR_TIMESTAMP_INVALID', `timestamp field "${field}": ${parsed.reason}`);
      }
      if (parsed.epochNanos < 0n) {
        throw new MillraceError(
          'MR_TIMESTAMP_INVALID',
          `timestamp field "${field}" is before 1970-01-01T00:00:00Z, which a Kafka record cannot carry: fix the producer`,
        );
      }
      return { timestampMs: epochNanosToMillis(parsed.epochNanos), epochNanos: parsed.epochNanos };
    },
  });
}
