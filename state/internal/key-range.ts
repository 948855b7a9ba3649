import type { BytesScanOptions } from '../backend.ts';
import { compareBytes } from './bytes.ts';

/** One end of a key range. */
export interface RangeBound {
  key: Uint8Array;
  inclusive: boolean;
}

/** A key range with at most one bound per side; `empty` when nothing can match. */
export interface KeyRange {
  lower: RangeBound | undefined;
  upper: RangeBound | undefined;
  empty: boolean;
}

/**
 * Reduces `gt`/`gte`/`lt`/`lte` to one bound per side. When both forms of a side are given, the tighter one
 * wins (so `{ gte: a, gt: a }` means `> a`), which is what intersecting the two conditions means.
 */
export function toKeyRange(options: BytesScanOptions): KeyRange {
  const lower = tighter(
    options.gte === undefined ? undefined : { key: options.gte, inclusive: true },
    options.gt === undefined ? undefined : { key: options.gt, inclusive: false },
    1,
  );
  const upper = tighter(
    options.lte === undefined ? undefined : { key: options.lte, inclusive: true },
    options.lt === undefined ? undefined : { key: options.lt, inclusive: false },
    -1,
  );
  let empty = options.limit !== undefined && options.limit <= 0;
  if (lower !== undefined && upper !== undefined) {
    const c = compareBytes(lower.key, upper.key);
    empty ||= c > 0 || (c === 0 && !(lower.inclusive && upper.inclusive));
  }
  return { lower, upper, empty };
}

/** Whether `key` lies inside the range (ignores `empty`). */
export function inKeyRange(range: KeyRange, key: Uint8Array): boolean {
  if (range.lower !== undefined) {
    const c = compareBytes(key, range.lower.key);
    if (c < 0 || (c === 0 && !range.lower.inclusive)) return false;
  }
  if (range.upper !== undefined) {
    const c = compareBytes(key, range.upper.key);
    if (c > 0 || (c === 0 && !range.upper.inclusive)) return false;
  }
  return true;
}

/** `direction` 1 keeps the greater key (lower side), -1 the smaller (upper side); on a tie, the exclusive one. */
function tighter(
  a: RangeBound | undefined,
  b: RangeBound | undefined,
  direction: 1 | -1,
): RangeBound | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  const c = compareBytes(a.key, b.key) * direction;
  if (c !== 0) return c > 0 ? a : b;
  return a.inclusive ? b : a;
}
