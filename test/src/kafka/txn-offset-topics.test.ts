import { describe, expect, it } from 'vitest';
import { txnOffsetTopics } from '../../../src/kafka/internal/transactional-producer.ts';

describe('txnOffsetTopics (one TxnOffsetCommit for every offset of a commit)', () => {
  it('groups the offsets by topic, in order, without leader epochs, each with its metadata (none: null)', () => {
    expect(
      txnOffsetTopics([
        { topic: 'a', partition: 0, offset: 5n, metadata: 'AQAAAYvP5WgA' },
        { topic: 'b', partition: 3, offset: 7n },
        { topic: 'a', partition: 2, offset: 9n },
      ]),
    ).toEqual([
      {
        name: 'a',
        partitions: [
          {
            partitionIndex: 0,
            committedOffset: 5n,
            committedLeaderEpoch: -1,
            committedMetadata: 'AQAAAYvP5WgA',
          },
          { partitionIndex: 2, committedOffset: 9n, committedLeaderEpoch: -1, committedMetadata: null },
        ],
      },
      {
        name: 'b',
        partitions: [
          { partitionIndex: 3, committedOffset: 7n, committedLeaderEpoch: -1, committedMetadata: null },
        ],
      },
    ]);
  });
});
