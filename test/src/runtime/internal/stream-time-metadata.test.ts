import { describe, expect, it } from 'vitest';
import {
  committedStreamTime,
  decodeStreamTime,
  encodeStreamTime,
} from '../../../../src/runtime/internal/stream-time-metadata.ts';

// Kafka Streams' format, worked out by hand: version byte 01, then 1700000000000 = 0x0000018BCFE56800
// big-endian → bytes 01 00 00 01 8B CF E5 68 00 → base64 "AQAAAYvP5WgA".
const KS_1700000000000 = 'AQAAAYvP5WgA';

describe('stream time in offset metadata (Kafka Streams StreamTask.encodeTimestamp / decodeTimestamp)', () => {
  it('encodes version 1 and the big-endian time, base64, as Kafka Streams does', () => {
    expect(encodeStreamTime(1_700_000_000_000)).toBe(KS_1700000000000);
    expect(encodeStreamTime(0)).toBe('AQAAAAAAAAAA');
    expect(encodeStreamTime(-1)).toBe('Af//////////'); // no time yet (RecordQueue.UNKNOWN)
  });

  it('decodes what it encodes, and what Kafka Streams commits', () => {
    expect(decodeStreamTime(KS_1700000000000)).toBe(1_700_000_000_000);
    for (const t of [0, 1, 86_400_000, 1_764_870_000_123, Number.MAX_SAFE_INTEGER])
      expect(decodeStreamTime(encodeStreamTime(t))).toBe(t);
  });

  it('reads the time of version 2 (Kafka Streams 3.3+: time, then processor metadata)', () => {
    const v2 = Buffer.concat([
      Buffer.from([2]),
      Buffer.from('0000018bcfe56800', 'hex'),
      Buffer.from([0, 0, 0, 0]),
    ]);
    expect(decodeStreamTime(v2.toString('base64'))).toBe(1_700_000_000_000);
  });

  it('reads no time from missing, empty, garbage or unknown metadata, or a negative time', () => {
    expect(decodeStreamTime(undefined)).toBeUndefined();
    expect(decodeStreamTime(null)).toBeUndefined();
    expect(decodeStreamTime('')).toBeUndefined();
    expect(decodeStreamTime('not base64 at all!')).toBeUndefined();
    expect(decodeStreamTime('{"app":"metadata"}')).toBeUndefined();
    expect(decodeStreamTime('AQAB')).toBeUndefined(); // too short
    expect(decodeStreamTime('AwAAAYvP5WgA')).toBeUndefined(); // version 3
    expect(decodeStreamTime('AQAAAYvP5WgAAAAA')).toBeUndefined(); // version 1 with trailing bytes
    expect(decodeStreamTime(encodeStreamTime(-1))).toBeUndefined();
  });

  it("resumes a task from the largest time committed with its own partitions' offsets", () => {
    const committed = [
      { topic: 'a', partition: 1, offset: 5n, metadata: encodeStreamTime(1000) },
      { topic: 'b', partition: 1, offset: 9n, metadata: encodeStreamTime(3000) },
      { topic: 'b', partition: 2, offset: 9n, metadata: encodeStreamTime(9000) }, // another task's
      { topic: 'c', partition: 1, offset: 2n }, // committed without metadata
    ];
    const task = [
      { topic: 'a', partition: 1 },
      { topic: 'b', partition: 1 },
      { topic: 'c', partition: 1 },
    ];
    expect(committedStreamTime(committed, task)).toBe(3000);
    expect(committedStreamTime(committed, [{ topic: 'c', partition: 1 }])).toBeUndefined();
    expect(committedStreamTime([], task)).toBeUndefined();
  });
});
