/**
 * Store keys of the pharmacy order analytics. Keys are UTF-8 strings compared as bytes (the store's order),
 * fields joined by `|` (0x7C). Tenant codes and order ids never contain `|` (the validators refuse it), so a
 * key splits at its first `|`s unambiguously and `<tenant>|` is an exact prefix of one tenant's keys.
 *
 * Window key — one tumbling window of one tenant:
 *
 * ```
 * <tenant> "|" <windowSizeMs: 10 decimal digits, zero-padded> "|" <windowStartMs: 15 decimal digits, zero-padded>
 * e.g. 1001|0000060000|001767225600000   (tenant 1001, 1-minute window starting 2026-01-01T00:00:00Z)
 * ```
 *
 * Fixed-width zero-padded decimals (epoch ms ≥ 0 and < 10^15, sizes < 10^10) make byte order equal numeric
 * order, so `range(windowKey(t, size, from), windowKey(t, size, to))` returns one tenant's windows of one
 * size ordered by start time.
 *
 * Dedupe keys — `e|<eventId>` → the stream time it was first seen, and a time index
 * `t|<seenMs: 15 digits>|<eventId>` so expired ids are found with one range scan.
 */
const SIZE_DIGITS = 10;
const TIME_DIGITS = 15;

const pad = (n: number, digits: number): string => {
  if (!Number.isSafeInteger(n) || n < 0 || n >= 10 ** digits) {
    throw new RangeError(`${n} does not fit a ${digits}-digit key field`);
  }
  return String(n).padStart(digits, '0');
};

export function windowKey(tenant: string, sizeMs: number, startMs: number): string {
  return `${tenant}|${pad(sizeMs, SIZE_DIGITS)}|${pad(startMs, TIME_DIGITS)}`;
}

/** The largest window start a key can hold: the upper bound of an open-ended range. */
export const MAX_WINDOW_START = 10 ** TIME_DIGITS - 1;

/** `<tenant>|<orderId>`: the orders table, pending status changes and window contributions. */
export function orderKey(tenant: string, orderId: string): string {
  return `${tenant}|${orderId}`;
}

/** `<tenant>|<medication>`: the inventory. The medication may contain `|`: the tenant part cannot. */
export function inventoryKey(tenant: string, medication: string): string {
  return `${tenant}|${medication}`;
}

export function dedupeKey(eventId: string): string {
  return `e|${eventId}`;
}

export function dedupeIndexKey(seenMs: number, eventId: string): string {
  return `t|${pad(Math.max(0, seenMs), TIME_DIGITS)}|${eventId}`;
}

/** The upper bound of the index entries seen before `ms` (exclusive of `ms` itself). */
export function dedupeIndexUpTo(ms: number): string {
  return `t|${pad(Math.max(0, ms - 1), TIME_DIGITS)}|\u{10FFFF}`;
}
