import { describe, expect, it } from 'vitest';
import { prefixEnd } from '../../../state/internal/bytes.ts';
import { inKeyRange, toKeyRange } from '../../../state/internal/key-range.ts';

const b = (...x: number[]): Uint8Array => Uint8Array.from(x);

describe('key ranges', () => {
  it('prefixEnd drops trailing 0xff and increments the last byte', () => {
    expect(prefixEnd(b(0x61, 0x62))).toEqual(b(0x61, 0x63));
    expect(prefixEnd(b(0x61, 0xff, 0xff))).toEqual(b(0x62));
    expect(prefixEnd(b(0xff))).toBeUndefined();
    expect(prefixEnd(b())).toBeUndefined();
  });

  it('keeps the tighter bound when both forms of a side are given', () => {
    const r = toKeyRange({ gte: b(1), gt: b(1), lte: b(5), lt: b(4) });
    expect(r.lower).toEqual({ key: b(1), inclusive: false });
    expect(r.upper).toEqual({ key: b(4), inclusive: false });
    expect([
      inKeyRange(r, b(1)),
      inKeyRange(r, b(1, 0)),
      inKeyRange(r, b(3, 0xff)),
      inKeyRange(r, b(4)),
    ]).toEqual([false, true, true, false]);
  });

  it('knows an empty range', () => {
    expect(toKeyRange({ gte: b(2), lte: b(1) }).empty).toBe(true);
    expect(toKeyRange({ gte: b(1), lt: b(1) }).empty).toBe(true);
    expect(toKeyRange({ gte: b(1), lte: b(1) }).empty).toBe(false);
    expect(toKeyRange({ limit: 0 }).empty).toBe(true);
  });
});
