import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compareNanos,
  renderProfile,
  sameVisibleProfile,
  type StoredProfile,
} from '../../../../processors/healthcare/profiles/profile-state.ts';

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

describe('sameVisibleProfile', () => {
  const value = fc.oneof(
    fc.constant(null),
    fc.constantFrom('a', 'b'),
    fc.integer({ min: 0, max: 2 }),
    fc.boolean(),
    fc.constantFrom({ city: 'x' }, { city: 'y' }, ['a']),
  );
  const field = fc.record({
    v: value,
    t: fc.bigInt({ min: -3n, max: 3n }).map((t) => (t + 1_136_178_000_500_000_000n).toString()),
    o: fc.nat(5),
  });
  const profile: fc.Arbitrary<StoredProfile | undefined> = fc.option(
    fc.record({ fields: fc.dictionary(fc.constantFrom('firstName', 'lastName', 'sex', 'address'), field) }),
    { nil: undefined },
  );

  it('agrees with comparing the two rendered views', () => {
    fc.assert(
      fc.property(profile, profile, (a, b) => {
        const rendered = JSON.stringify(renderProfile('p', a)) === JSON.stringify(renderProfile('p', b));
        expect(sameVisibleProfile(a, b)).toBe(rendered);
        // A copy (new objects, same JSON) always shows the same.
        expect(sameVisibleProfile(a, a && (JSON.parse(JSON.stringify(a)) as StoredProfile))).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});
