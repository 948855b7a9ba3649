import type { StreamRecord } from '../processor/record.ts';
import { TIMESTAMP_NANOS_HEADER } from './timestamp-extractor.ts';

const DIGITS = /^-?[0-9]{1,30}$/;

/**
 * A record's event time in epoch nanoseconds: the `millrace.ts.nanos` header when its source extracted a
 * nanosecond time (the last such header wins), else the record timestamp × 10^6. Compare these bigints,
 * not the millisecond timestamps, when sub-millisecond order matters.
 *
 * @example
 * ```ts
 * if (recordEpochNanos(record) > lastSeenNanos) store.put(record.key, record.value);
 * ```
 */
export function recordEpochNanos(
  record: Pick<StreamRecord<unknown, unknown>, 'timestamp' | 'headers'>,
): bigint {
  for (let i = record.headers.length - 1; i >= 0; i--) {
    const h = record.headers[i];
    if (h === undefined || h.key !== TIMESTAMP_NANOS_HEADER || h.value === null) continue;
    const text = new TextDecoder().decode(h.value);
    if (DIGITS.test(text)) return BigInt(text);
  }
  return BigInt(record.timestamp) * 1_000_000n;
}
