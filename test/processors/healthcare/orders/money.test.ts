import { describe, expect, it } from 'vitest';
import { isMillraceError } from '../../../../src/index.ts';
import { parseEventJson } from '../../../../processors/healthcare/orders/exact-json.ts';
import { toMinorUnits } from '../../../../processors/healthcare/orders/money.ts';

const code = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    return isMillraceError(err) ? `${err.code}: ${err.message}` : String(err);
  }
  return 'no error';
};

describe('toMinorUnits', () => {
  it('converts decimal text to cents exactly', () => {
    expect(toMinorUnits('12.30', 'x')).toBe(1230);
    expect(toMinorUnits('0.1', 'x')).toBe(10);
    expect(toMinorUnits('7', 'x')).toBe(700);
    expect(toMinorUnits('-3.05', 'x')).toBe(-305);
    expect(toMinorUnits(19.99, 'x')).toBe(1999);
  });

  it('has no float drift where float arithmetic has', () => {
    // 0.1 + 0.2 and 1.15 * 100 are the classic float traps.
    const cents = ['0.10', '0.20', '1.15', '4.35', '8.20'].map((s) => toMinorUnits(s, 'x'));
    expect(cents).toEqual([10, 20, 115, 435, 820]);
    expect(Math.round(1.15 * 100)).toBe(115); // rounding hides it here …
    expect(1.15 * 100).not.toBe(115); // … but the raw product is off
  });

  it('refuses more than two fractional digits, exponents and non-numbers, naming the field', () => {
    expect(code(() => toMinorUnits('1.005', 'order.price'))).toMatch(
      /MR_EVENT_INVALID: order.price has 3 fractional digits/,
    );
    expect(code(() => toMinorUnits('1e3', 'order.price'))).toMatch(
      /MR_EVENT_INVALID: order.price must be a plain decimal/,
    );
    expect(code(() => toMinorUnits(null, 'order.price'))).toMatch(
      /MR_EVENT_INVALID: order.price must be a decimal/,
    );
    expect(code(() => toMinorUnits('abc', 'order.price'))).toMatch(/MR_EVENT_INVALID/);
  });
});

describe('parseEventJson', () => {
  it('keeps money numbers as their source text and leaves other numbers alone', () => {
    const v = parseEventJson('{"price": 0.10, "qty": 2, "order": {"payableAmount": 12.345}}') as Record<
      string,
      unknown
    >;
    expect(v).toEqual({ price: '0.10', qty: 2, order: { payableAmount: '12.345' } });
  });

  it('throws MR_EVENT_INVALID on bad JSON', () => {
    expect(code(() => parseEventJson('{"a":'))).toMatch(/MR_EVENT_INVALID: the event is not valid JSON/);
  });
});
