import { describe, expect, it } from 'vitest';
import { compareBytes } from '../../state/internal/bytes.ts';
import {
  bytesSerde,
  jsonSerde,
  orderedInt64Serde,
  stringSerde,
  uint64Serde,
  type Serde,
} from '../../state/serde.ts';

function sortsNaturally<T>(serde: Serde<T>, sorted: T[]): void {
  const bytes = sorted.map((v) => serde.serialize(v));
  for (let i = 1; i < bytes.length; i++) {
    expect(
      compareBytes(bytes[i - 1] as Uint8Array, bytes[i] as Uint8Array),
      `${String(sorted[i - 1])} < ${String(sorted[i])}`,
    ).toBeLessThan(0);
  }
  expect(bytes.map((b) => serde.deserialize(b))).toEqual(sorted);
}

describe('serdes', () => {
  it('uint64Serde is big-endian and order-preserving', () => {
    expect(Buffer.from(uint64Serde().serialize(258n)).toString('hex')).toBe('0000000000000102');
    sortsNaturally(uint64Serde(), [0n, 1n, 255n, 256n, 2n ** 32n, 2n ** 63n, 2n ** 64n - 1n]);
    expect(() => uint64Serde().serialize(-1n)).toThrow(expect.objectContaining({ code: 'MR_SERDE' }));
    expect(() => uint64Serde().deserialize(new Uint8Array(3))).toThrow(
      expect.objectContaining({ code: 'MR_SERDE' }),
    );
  });

  it('orderedInt64Serde flips the sign bit so negatives sort first', () => {
    expect(Buffer.from(orderedInt64Serde().serialize(0)).toString('hex')).toBe('8000000000000000');
    expect(Buffer.from(orderedInt64Serde().serialize(-1)).toString('hex')).toBe('7fffffffffffffff');
    sortsNaturally(orderedInt64Serde(), [
      Number.MIN_SAFE_INTEGER,
      -256,
      -1,
      0,
      1,
      255,
      256,
      Number.MAX_SAFE_INTEGER,
    ]);
    expect(() => orderedInt64Serde().serialize(1.5)).toThrow(expect.objectContaining({ code: 'MR_SERDE' }));
  });

  it('stringSerde sorts by code point, jsonSerde and bytesSerde round-trip', () => {
    sortsNaturally(stringSerde(), ['', 'a', 'ab', 'b', 'é', '中', '😀']);
    expect(
      jsonSerde<{ a: number[] }>().deserialize(jsonSerde<{ a: number[] }>().serialize({ a: [1] })),
    ).toEqual({ a: [1] });
    expect(() => jsonSerde().deserialize(new Uint8Array([0x7b]))).toThrow(
      expect.objectContaining({ code: 'MR_SERDE' }),
    );
    const b = Uint8Array.of(0, 255);
    expect(bytesSerde().deserialize(bytesSerde().serialize(b))).toBe(b);
  });
});
