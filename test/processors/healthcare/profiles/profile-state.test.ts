import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareNanos } from '../../../../processors/healthcare/profiles/profile-state.ts';

describe('compareNanos', () => {
  it('orders decimal nanosecond strings as BigInt orders the numbers', () => {
    const nanos = fc.bigInt({ min: -(10n ** 21n), max: 10n ** 21n });
    fc.assert(
      fc.property(nanos, nanos, (a, b) => {
        expect(Math.sign(compareNanos(a.toString(), b.toString()))).toBe(a < b ? -1 : a > b ? 1 : 0);
      }),
      { numRuns: 2000 },
    );
  });

  it('handles equal lengths, signs and zero', () => {
    expect(compareNanos('1136178000500000000', '1136178000500000001')).toBeLessThan(0);
    expect(compareNanos('999', '1000')).toBeLessThan(0);
    expect(compareNanos('-5', '0')).toBeLessThan(0);
    expect(compareNanos('-5', '-40')).toBeGreaterThan(0);
    expect(compareNanos('0', '0')).toBe(0);
  });
});
