import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  epochNanosToMillis,
  formatRfc3339Utc,
  parseRfc3339,
  tryParseRfc3339,
} from '../../../src/time/rfc3339.ts';
import { isMillraceError } from '../../../src/errors/index.ts';

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** Oracle: Date.UTC for the whole seconds (it normalizes minute overflow from the offset), plus the fraction. */
function oracle(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  frac: string,
  offMin: number,
): bigint {
  const ms = Date.UTC(y, mo - 1, d, h, mi - offMin, s);
  return BigInt(ms) * 1_000_000n + BigInt(frac.padEnd(9, '0').slice(0, 9) || '0');
}

describe('parseRfc3339', () => {
  it('parses the example of the issue at full precision, any offset', () => {
    expect(parseRfc3339('2006-01-02T15:00:00.5+10:00')).toBe(1136178000500000000n);
    expect(parseRfc3339('2006-01-02T05:00:00.5Z')).toBe(1136178000500000000n);
    expect(parseRfc3339('2006-01-01T23:30:00.500000000-05:30')).toBe(1136178000500000000n);
    expect(parseRfc3339('2006-01-02t05:00:00.5z')).toBe(1136178000500000000n);
    expect(parseRfc3339('2006-01-02T05:00:00.5-00:00')).toBe(1136178000500000000n);
  });

  it('keeps nanoseconds that a double or a Date would lose', () => {
    const a = parseRfc3339('2024-03-01T12:00:00.123456789Z');
    const b = parseRfc3339('2024-03-01T12:00:00.123456788Z');
    expect(a - b).toBe(1n);
    expect(Number(a) === Number(b)).toBe(true); // why bigint is needed
  });

  it('orders instants, not strings', () => {
    // String order says the first is later; time says the opposite.
    const early = parseRfc3339('2006-01-02T15:00:00.5+10:00');
    const late = parseRfc3339('2006-01-02T06:00:00Z');
    expect(early < late).toBe(true);
  });

  it('accepts trailing zero digits beyond nanoseconds but refuses significant ones', () => {
    expect(parseRfc3339('2020-01-01T00:00:00.1234567890000Z')).toBe(
      parseRfc3339('2020-01-01T00:00:00.123456789Z'),
    );
    const r = tryParseRfc3339('2020-01-01T00:00:00.1234567891Z');
    expect(r.ok).toBe(false);
  });

  it('refuses Z fused with an offset, with a clear reason, unless switched on', () => {
    const text = '2006-01-02T15:00:00.000000000Z10:00';
    const r = tryParseRfc3339(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/fuses "Z" with an offset/);
    try {
      parseRfc3339(text);
      expect.unreachable();
    } catch (err) {
      expect(isMillraceError(err, 'MR_TIMESTAMP_INVALID')).toBe(true);
    }
    expect(parseRfc3339(text, { acceptZWithOffset: true })).toBe(parseRfc3339('2006-01-02T15:00:00+10:00'));
    expect(parseRfc3339('2006-01-02T15:00:00Z-03:00', { acceptZWithOffset: true })).toBe(
      parseRfc3339('2006-01-02T15:00:00-03:00'),
    );
  });

  it.each([
    ['', /empty/],
    ['2006-01-02', /time and offset are missing/],
    ['2006-01-02T15:00Z', /hh:mm:ss/],
    ['2006-01-02 15:00:00Z', /separated by "T"/],
    ['2006-13-02T15:00:00Z', /month 13/],
    ['2006-02-29T15:00:00Z', /day 29 is out of range 01-28/],
    ['2006-04-31T15:00:00Z', /day 31 is out of range 01-30/],
    ['2006-01-02T24:00:00Z', /hour 24/],
    ['2006-01-02T15:60:00Z', /minute 60/],
    ['2006-01-02T15:00:61Z', /second 61/],
    ['2006-01-02T15:00:00', /offset is missing/],
    ['2006-01-02T15:00:00.Z', /at least one digit/],
    ['2006-01-02T15:00:00+1000', /not a valid offset/],
    ['2006-01-02T15:00:00+24:00', /offset hour 24/],
    ['2006-01-02T15:00:00+10:60', /offset minute 60/],
    ['2006-01-02T15:00:00ZZ', /not a valid offset/],
    ['2006-1-02T15:00:00Z', /YYYY-MM-DD/],
    ['2006-01-02T15:00:60Z', /leap second/],
    ['２００６-01-02T15:00:00Z', /YYYY-MM-DD/],
  ])('refuses %j', (text, reason) => {
    const r = tryParseRfc3339(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });

  it('refuses non-strings', () => {
    expect(tryParseRfc3339(null).ok).toBe(false);
    expect(tryParseRfc3339(1136178000).ok).toBe(false);
  });

  it('accepts leap days and the leap second at 23:59:60 UTC only', () => {
    expect(parseRfc3339('2000-02-29T00:00:00Z')).toBe(BigInt(Date.UTC(2000, 1, 29)) * 1_000_000n);
    expect(tryParseRfc3339('1900-02-29T00:00:00Z').ok).toBe(false);
    const leap = parseRfc3339('2016-12-31T23:59:60Z');
    expect(leap).toBe(BigInt(Date.UTC(2017, 0, 1)) * 1_000_000n - 1n);
    expect(parseRfc3339('2016-12-31T18:59:60-05:00')).toBe(leap);
  });

  it('agrees with an independent oracle on random valid timestamps (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1000, max: 9999 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 31 }),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        fc.integer({ min: 0, max: 59 }),
        fc.option(fc.stringMatching(/^[0-9]{1,9}$/), { nil: undefined }),
        fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 }),
        (y, mo, d, h, mi, s, frac, off) => {
          const dim = new Date(Date.UTC(y, mo, 0)).getUTCDate();
          const day = Math.min(d, dim);
          const sign = off < 0 ? '-' : '+';
          const abs = Math.abs(off);
          const text = `${pad(y, 4)}-${pad(mo)}-${pad(day)}T${pad(h)}:${pad(mi)}:${pad(s)}${frac === undefined ? '' : `.${frac}`}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
          const got = parseRfc3339(text);
          expect(got).toBe(oracle(y, mo, day, h, mi, s, frac ?? '', off));
          // Formatting in UTC round-trips (while the UTC instant still has a 4-digit year: 9999-12-31T10:00-14:00
          // is year 10000 in UTC, which RFC 3339 cannot write).
          if (got < 253402300800000000000n) expect(parseRfc3339(formatRfc3339Utc(got))).toBe(got);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('formatRfc3339Utc', () => {
  it('writes UTC with trailing fraction zeros dropped', () => {
    expect(formatRfc3339Utc(1136178000500000000n)).toBe('2006-01-02T05:00:00.5Z');
    expect(formatRfc3339Utc(0n)).toBe('1970-01-01T00:00:00Z');
    expect(formatRfc3339Utc(-1n)).toBe('1969-12-31T23:59:59.999999999Z');
    expect(formatRfc3339Utc(1n)).toBe('1970-01-01T00:00:00.000000001Z');
  });

  it('agrees with Date.toISOString at millisecond instants (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -30_000_000_000_000, max: 200_000_000_000_000 }), (ms) => {
        const iso = new Date(ms)
          .toISOString()
          .replace(/\.?0+Z$/, 'Z')
          .replace(/\.Z$/, 'Z');
        const expected = iso.includes('.') ? iso.replace(/0+Z$/, 'Z') : iso;
        expect(formatRfc3339Utc(BigInt(ms) * 1_000_000n)).toBe(expected);
      }),
    );
  });
});

describe('epochNanosToMillis', () => {
  it('rounds toward the past', () => {
    expect(epochNanosToMillis(1_999_999n)).toBe(1);
    expect(epochNanosToMillis(-1n)).toBe(-1);
    expect(epochNanosToMillis(-1_000_000n)).toBe(-1);
    expect(epochNanosToMillis(0n)).toBe(0);
  });
});
