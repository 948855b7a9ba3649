import { describe, expect, it } from 'vitest';
import { isMillraceError } from '../../../src/errors/index.ts';
import { murmur2, partitionFor } from '../../../src/kafka/index.ts';

// Reference values printed by Java 17 with kafka-clients 4.3.1:
// Utils.murmur2(key.getBytes(UTF_8)) and Utils.toPositive(h) % 3 / % 7 / % 12.
const JAVA: Array<[string, number, number, number, number]> = [
  ['', 275646681, 0, 2, 9],
  ['a', -1563381124, 1, 5, 4],
  ['ab', 316155434, 2, 0, 2],
  ['abc', 479470107, 0, 4, 3],
  ['abcd', -1323649548, 2, 5, 8],
  ['abcde', 461995741, 1, 4, 1],
  ['hello', 2132663229, 0, 4, 9],
  ['patient-42', 770213283, 0, 0, 3],
  ['order-123456789', -55606149, 2, 5, 11],
  ['\u00e9\u00e8\u00ea-unicode-\u4e2d\u6587', -2002044777, 2, 4, 11],
  ['21', -973932308, 0, 3, 0],
  ['The quick brown fox jumps over the lazy dog', 495243318, 0, 3, 6],
];

// Java: byte[len] with b[i] = (byte)(i * 37 + 200), len = 0..19 (covers every tail length and high bytes).
const JAVA_BINARY = [
  275646681, 425050138, -1606385903, -108754803, 1386831423, 580644288, -1879261483, -532381679, 1482585343,
  210905472, 1170719500, 387960439, -424466987, -1260287053, -326867563, -27470952, -1323797251, 1979245164,
  -421224522, 1381377166,
];

describe('murmur2 / partitionFor', () => {
  it.each(JAVA)('matches Java for %j', (key, hash, p3, p7, p12) => {
    const bytes = Buffer.from(key, 'utf8');
    expect(murmur2(bytes)).toBe(hash);
    expect(partitionFor(bytes, 3)).toBe(p3);
    expect(partitionFor(bytes, 7)).toBe(p7);
    expect(partitionFor(bytes, 12)).toBe(p12);
  });

  it('matches Java on binary keys of every length 0..19', () => {
    const actual = JAVA_BINARY.map((_, len) => {
      const b = Buffer.alloc(len);
      for (let i = 0; i < len; i++) b[i] = (i * 37 + 200) & 0xff;
      return murmur2(b);
    });
    expect(actual).toEqual(JAVA_BINARY);
  });

  it('rejects a partition count below 1', () => {
    expect(() => partitionFor(Buffer.from('k'), 0)).toThrow(
      expect.objectContaining({ code: 'MR_CONFIG_INVALID' }) as Error,
    );
    try {
      partitionFor(Buffer.from('k'), 0);
    } catch (err) {
      expect(isMillraceError(err, 'MR_CONFIG_INVALID')).toBe(true);
    }
  });
});
