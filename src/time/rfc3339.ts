import { MillraceError } from '../errors/index.ts';

/**
 * RFC 3339 timestamps at full nanosecond precision, as exact integers (bigint nanoseconds since the Unix
 * epoch, UTC). Comparing two parsed timestamps is comparing two bigints: never compare the strings
 * (`…T15:00:00.5+10:00` is earlier than `…T06:00:00Z`), and never go through a JS `number` or `Date`
 * (millisecond precision, and a double holds only ~15.9 significant digits: 1.7e18 ns loses the last three).
 *
 * Accepted grammar (RFC 3339 §5.6, strictly):
 * ```
 * date-time   = full-date ("T" / "t") full-time
 * full-date   = 4DIGIT "-" 2DIGIT "-" 2DIGIT          ; month 01-12, day valid for that month and year
 * full-time   = 2DIGIT ":" 2DIGIT ":" 2DIGIT [time-secfrac] time-offset
 * time-secfrac= "." 1*DIGIT                          ; digits after the 9th must be 0 (no silent rounding)
 * time-offset = "Z" / "z" / ("+" / "-") 2DIGIT ":" 2DIGIT   ; hour 00-23, minute 00-59; "-00:00" = UTC
 * ```
 * A leap second (`:60`) is accepted only where RFC 3339 allows it — at 23:59:60 UTC — and is read as
 * 23:59:59.999999999 UTC (the way Java's `Instant.parse` folds it into the last second of the day).
 *
 * Non-standard form, refused unless `acceptZWithOffset` is set: `Z` fused with an offset (`…00Z10:00`,
 * written by a mis-configured Go layout). With the switch, `Z` followed by `hh:mm` (or `+hh:mm`/`-hh:mm`) is
 * read as that offset (`Z10:00` = `+10:00`).
 */

/** Options of {@link parseRfc3339}. */
export interface Rfc3339Options {
  /** Accept `Z` followed by `hh:mm` as the offset `+hh:mm` (legacy producers). Default false. */
  readonly acceptZWithOffset?: boolean;
}

/** The outcome of {@link tryParseRfc3339}: the instant, or why the text is not a valid timestamp. */
export type Rfc3339Result =
  | { readonly ok: true; readonly epochNanos: bigint; readonly offsetMinutes: number }
  | { readonly ok: false; readonly reason: string };

const NANOS_PER_SECOND = 1_000_000_000n;
const NANOS_PER_MILLI = 1_000_000n;
const POWERS_OF_TEN = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000];

/**
 * Parses an RFC 3339 timestamp into nanoseconds since the epoch (UTC), exactly.
 *
 * @throws MillraceError `MR_TIMESTAMP_INVALID` with the reason (the message is safe to put in a DLQ header).
 * @example
 * ```ts
 * parseRfc3339('2006-01-02T15:00:00.5+10:00'); // 1136178000500000000n
 * parseRfc3339('2006-01-02T05:00:00.5Z') === parseRfc3339('2006-01-02T15:00:00.5+10:00'); // true
 * ```
 */
export function parseRfc3339(text: string, options: Rfc3339Options = {}): bigint {
  const result = tryParseRfc3339(text, options);
  if (!result.ok) throw new MillraceError('MR_TIMESTAMP_INVALID', result.reason);
  return result.epochNanos;
}

/** Like {@link parseRfc3339}, but returns the reason instead of throwing. */
export function tryParseRfc3339(text: unknown, options: Rfc3339Options = {}): Rfc3339Result {
  if (typeof text !== 'string') {
    return fail(`expected an RFC 3339 timestamp string, got ${text === null ? 'null' : typeof text}`);
  }
  // The quoted text is built only when a reason is (every event with a timestamp comes through here).
  const bad = (why: string): Rfc3339Result =>
    fail(
      `${JSON.stringify(text.length > 64 ? `${text.slice(0, 64)}…` : text)} is not an RFC 3339 timestamp: ${why} (expected e.g. 2006-01-02T15:04:05.999999999+07:00)`,
    );

  // Fixed-position part: YYYY-MM-DDTHH:MM:SS (19 characters).
  if (text.length === 0) return bad('it is empty');
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  if (year < 0 || text[4] !== '-' || month < 0 || text[7] !== '-' || day < 0) {
    return bad('the date must be YYYY-MM-DD');
  }
  if (text.length === 10) return bad('the time and offset are missing');
  if (text[10] !== 'T' && text[10] !== 't') return bad('date and time must be separated by "T"');
  if (hour < 0 || text[13] !== ':' || minute < 0 || text[16] !== ':' || second < 0) {
    return bad('the time must be hh:mm:ss');
  }
  if (month < 1 || month > 12) return bad(`month ${pad(month, 2)} is out of range 01-12`);
  const monthDays = daysInMonth(year, month);
  if (day < 1 || day > monthDays) return bad(`day ${pad(day, 2)} is out of range 01-${monthDays}`);
  if (hour > 23) return bad(`hour ${pad(hour, 2)} is out of range 00-23`);
  if (minute > 59) return bad(`minute ${pad(minute, 2)} is out of range 00-59`);
  if (second > 60) return bad(`second ${pad(second, 2)} is out of range 00-60`);

  // Optional fraction: "." 1*DIGIT; at most 9 significant digits (nanoseconds).
  let i = 19;
  // Nanoseconds of the fraction, as a number (< 1e9: exact).
  let fraction = 0;
  if (text[i] === '.') {
    const start = ++i;
    while (i < text.length && isDigit(text.charCodeAt(i))) i++;
    const length = i - start;
    if (length === 0) return bad('a "." must be followed by at least one digit');
    if (length > 9 && /[1-9]/.test(text.slice(start + 9, i))) {
      return bad('more than 9 significant fractional digits (the precision is nanoseconds)');
    }
    fraction = digits(text, start, Math.min(length, 9)) * POWERS_OF_TEN[9 - Math.min(length, 9)]!;
  }

  // Offset ("Z" without slicing: the common case).
  let offsetMinutes: number;
  const zulu = i === text.length - 1 && (text[i] === 'Z' || text[i] === 'z');
  const rest = zulu ? '' : text.slice(i);
  const offset = zulu ? null : /^([+-])(\d\d):(\d\d)$/.exec(rest);
  if (zulu) {
    offsetMinutes = 0;
  } else if (offset) {
    const parsed = offsetOf(offset[1] as string, offset[2] as string, offset[3] as string);
    if (typeof parsed === 'string') return bad(parsed);
    offsetMinutes = parsed;
  } else {
    const fused = /^[Zz]([+-]?)(\d\d):(\d\d)$/.exec(rest);
    if (fused) {
      if (!options.acceptZWithOffset) {
        return bad(
          `"${rest}" fuses "Z" with an offset; write either "Z" (UTC) or "+${fused[2]}:${fused[3]}", ` +
            'or enable the config switch that accepts "Z" followed by hh:mm as that offset',
        );
      }
      const parsed = offsetOf(fused[1] || '+', fused[2] as string, fused[3] as string);
      if (typeof parsed === 'string') return bad(parsed);
      offsetMinutes = parsed;
    } else if (rest === '') {
      return bad('the offset is missing (end with "Z" or "+hh:mm"/"-hh:mm")');
    } else {
      return bad(
        `"${rest.length > 16 ? `${rest.slice(0, 16)}…` : rest}" is not a valid offset ("Z" or "+hh:mm"/"-hh:mm")`,
      );
    }
  }

  // Seconds as a number: |days| < 3.7e6 for 4-digit years, so the value stays far below 2^53 (exact).
  let utcSeconds =
    daysFromCivil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offsetMinutes * 60;
  if (second === 60) {
    // A leap second exists only as the last second of a UTC day.
    const secondOfDay = ((utcSeconds % 86_400) + 86_400) % 86_400;
    if (secondOfDay !== 0) return bad('a leap second (:60) is only valid at 23:59:60 UTC');
    utcSeconds -= 1;
    fraction = 999_999_999;
  }
  return { ok: true, epochNanos: BigInt(utcSeconds) * NANOS_PER_SECOND + BigInt(fraction), offsetMinutes };
}

/**
 * Formats epoch nanoseconds as RFC 3339 in UTC, with the fraction's trailing zeros dropped (Go's
 * `time.RFC3339Nano`): `2006-01-02T05:00:00.5Z`. Round-trips with {@link parseRfc3339}.
 */
export function formatRfc3339Utc(epochNanos: bigint): string {
  let seconds = epochNanos / NANOS_PER_SECOND;
  let nanos = epochNanos % NANOS_PER_SECOND;
  if (nanos < 0n) {
    nanos += NANOS_PER_SECOND;
    seconds -= 1n;
  }
  let days = seconds / 86_400n;
  let secondOfDay = seconds % 86_400n;
  if (secondOfDay < 0n) {
    secondOfDay += 86_400n;
    days -= 1n;
  }
  const [year, month, day] = civilFromDays(Number(days));
  const sod = Number(secondOfDay);
  const time = `${pad(Math.floor(sod / 3600), 2)}:${pad(Math.floor(sod / 60) % 60, 2)}:${pad(sod % 60, 2)}`;
  const fraction = nanos === 0n ? '' : `.${nanos.toString().padStart(9, '0').replace(/0+$/, '')}`;
  const yearText = year < 0 ? `-${pad(-year, 4)}` : pad(year, 4);
  return `${yearText}-${pad(month, 2)}-${pad(day, 2)}T${time}${fraction}Z`;
}

/** Epoch nanoseconds → epoch milliseconds, rounded down (toward the past), for record timestamps. */
export function epochNanosToMillis(epochNanos: bigint): number {
  let millis = epochNanos / NANOS_PER_MILLI;
  if (epochNanos % NANOS_PER_MILLI < 0n) millis -= 1n;
  return Number(millis);
}

function fail(reason: string): Rfc3339Result {
  return { ok: false, reason };
}

function offsetOf(sign: string, hh: string, mm: string): number | string {
  const hours = Number(hh);
  const minutes = Number(mm);
  if (hours > 23) return `offset hour ${hh} is out of range 00-23`;
  if (minutes > 59) return `offset minute ${mm} is out of range 00-59`;
  return (sign === '-' ? -1 : 1) * (hours * 60 + minutes);
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** The non-negative integer written by `length` ASCII digits at `start`, or -1. */
function digits(text: string, start: number, length: number): number {
  let value = 0;
  for (let i = start; i < start + length; i++) {
    const code = text.charCodeAt(i);
    if (!isDigit(code)) return -1;
    value = value * 10 + (code - 48);
  }
  return value;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** The inverse of {@link daysFromCivil}. */
function civilFromDays(days: number): [number, number, number] {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day];
}
