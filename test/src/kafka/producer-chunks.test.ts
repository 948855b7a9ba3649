import type { MessageToProduce } from '@platformatic/kafka';
import { describe, expect, it } from 'vitest';
import { chunkByPartitionBytes, MAX_PARTITION_BATCH_BYTES } from '../../../src/kafka/internal/producer.ts';

const msg = (partition: number, bytes: number, i: number): MessageToProduce => ({
  topic: 't',
  partition,
  key: Buffer.from(String(i)),
  value: Buffer.alloc(bytes),
});

describe('chunkByPartitionBytes (regression: MESSAGE_TOO_LARGE when one commit produced > 1 MiB to a partition)', () => {
  it('keeps every partition of every chunk under the batch limit, in order, losing nothing', () => {
    const messages = Array.from({ length: 3000 }, (_, i) => msg(i % 3, 1000, i));
    const chunks = chunkByPartitionBytes(messages);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.flat()).toEqual(messages);
    for (const c of chunks) {
      for (const p of [0, 1, 2]) {
        const bytes = c
          .filter((m) => m.partition === p)
          .reduce((n, m) => n + m.value!.length + 70 + m.key!.length, 0);
        expect(bytes).toBeLessThanOrEqual(MAX_PARTITION_BATCH_BYTES);
      }
    }
  });

  it('sends small batches in one request and an oversized record alone', () => {
    expect(chunkByPartitionBytes([msg(0, 10, 1), msg(1, 10, 2)])).toHaveLength(1);
    expect(
      chunkByPartitionBytes([msg(0, 10, 1), msg(0, 2 * MAX_PARTITION_BATCH_BYTES, 2), msg(0, 10, 3)]),
    ).toHaveLength(3);
  });
});
