import type { RecordsBatch } from '@platformatic/kafka';
import { describe, expect, it } from 'vitest';
import { decodePartition } from '../../../src/kafka/internal/record-batches.ts';

/** A batch of `values` at `firstOffset`; `control` makes it a marker (type 0 = ABORT, 1 = COMMIT). */
function batch(
  firstOffset: bigint,
  producerId: bigint,
  values: string[],
  opts: { transactional?: boolean; control?: 0 | 1 } = {},
): RecordsBatch {
  const controlKey = Buffer.alloc(4);
  if (opts.control !== undefined) controlKey.writeInt16BE(opts.control, 2);
  const attributes =
    (opts.transactional || opts.control !== undefined ? 0x10 : 0) | (opts.control !== undefined ? 0x20 : 0);
  const records = opts.control !== undefined ? [null] : values;
  return {
    firstOffset,
    length: 0,
    partitionLeaderEpoch: 0,
    magic: 2,
    crc: 0,
    attributes,
    lastOffsetDelta: records.length - 1,
    firstTimestamp: 1000n,
    maxTimestamp: 1000n + BigInt(records.length - 1),
    producerId,
    producerEpoch: 0,
    firstSequence: 0,
    records: records.map((v, i) => ({
      length: 0,
      attributes: 0,
      timestampDelta: BigInt(i),
      offsetDelta: i,
      key: opts.control !== undefined ? controlKey : null,
      value: v === null ? null : Buffer.from(v),
      headers: [],
    })),
  };
}

const vals = (d: ReturnType<typeof decodePartition>) => d.records.map((r) => r.value?.toString());

describe('decodePartition', () => {
  // pid 7 commits c1 c2 (marker @2), pid 8 aborts a1 a2 (marker @5), pid 7 commits c3 (marker @7).
  const batches = [
    batch(0n, 7n, ['c1', 'c2'], { transactional: true }),
    batch(2n, 7n, [], { control: 1 }),
    batch(3n, 8n, ['a1', 'a2'], { transactional: true }),
    batch(5n, 8n, [], { control: 0 }),
    batch(6n, 7n, ['c3'], { transactional: true }),
    batch(7n, 7n, [], { control: 1 }),
  ];

  it('drops aborted transactional batches under read_committed only, and skips control batches', () => {
    const aborted = [{ producerId: 8n, firstOffset: 3n }];
    expect(vals(decodePartition('t', 0, 0n, batches, aborted, true))).toEqual(['c1', 'c2', 'c3']);
    expect(vals(decodePartition('t', 0, 0n, batches, aborted, false))).toEqual([
      'c1',
      'c2',
      'a1',
      'a2',
      'c3',
    ]);
    expect(decodePartition('t', 0, 0n, batches, aborted, true).nextOffset).toBe(8n);
  });

  it('drops aborted records even when the response ends before their ABORT marker', () => {
    const cut = batches.slice(0, 3);
    const decoded = decodePartition('t', 0, 0n, cut, [{ producerId: 8n, firstOffset: 3n }], true);
    expect(vals(decoded)).toEqual(['c1', 'c2']);
    expect(decoded.nextOffset).toBe(5n);
  });

  it('starts at the fetch offset inside a batch and computes offsets and timestamps', () => {
    const decoded = decodePartition('t', 3, 1n, batches.slice(0, 1), null, false);
    expect(decoded.records).toEqual([
      expect.objectContaining({
        topic: 't',
        partition: 3,
        offset: 1n,
        timestamp: 1001n,
        timestampType: 'create-time',
        key: null,
      }),
    ]);
  });
});
