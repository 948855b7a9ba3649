import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createKafkaClient,
  type ConsumedRecord,
  type KafkaClient,
  type KafkaConsumer,
  type TopicPartition,
} from '../../../src/kafka/index.ts';
import { TEST_TOPIC_CONFIG, bootstrapServers, uniqueName } from '../../helpers/kafka.ts';

/** Polls until `count` records arrived or `ms` passed. */
async function pollUntil(
  consumer: { poll(ms: number): Promise<ConsumedRecord[]> },
  count: number,
  ms = 15_000,
) {
  const records: ConsumedRecord[] = [];
  const deadline = Date.now() + ms;
  while (records.length < count && Date.now() < deadline) records.push(...(await consumer.poll(300)));
  return records;
}

const values = (records: ConsumedRecord[]) => records.map((r) => r.value!.toString());

describe('kafka consumer (real broker)', () => {
  let kafka: KafkaClient;

  beforeAll(() => {
    kafka = createKafkaClient({
      bootstrapServers: bootstrapServers(),
      clientId: uniqueName('consumer-test'),
    });
  });
  afterAll(async () => {
    await kafka.close();
  });

  async function topicWith(partitions: number, count: number): Promise<string> {
    const topic = uniqueName('in');
    // Records from 1970: without retention.ms -1 the broker's next retention check would delete them.
    await kafka
      .admin()
      .createTopics([{ name: topic, partitions, replicationFactor: 1, configs: TEST_TOPIC_CONFIG }]);
    const producer = kafka.producer();
    await producer.send(
      Array.from({ length: count }, (_, i) => ({
        topic,
        partition: i % partitions,
        key: Buffer.from(`k${i}`),
        value: Buffer.from(`v${i}`),
        headers: [['trace', Buffer.from(`t${i}`)] as const, ['trace', Buffer.from('again')] as const],
        timestamp: 1_000_000n + BigInt(i),
      })),
    );
    await producer.close();
    return topic;
  }

  it('consumes and commits; a new member of the group resumes after the committed offsets', async () => {
    const topic = await topicWith(1, 10);
    const groupId = uniqueName('group');
    const assigned: TopicPartition[][] = [];
    const first = kafka.consumer({
      groupId,
      listener: { onPartitionsAssigned: (p) => void assigned.push([...p]) },
    });
    await first.subscribe([topic]);
    const records = await pollUntil(first, 10);
    expect(values(records)).toEqual(Array.from({ length: 10 }, (_, i) => `v${i}`));
    expect(assigned).toEqual([[{ topic, partition: 0 }]]);
    const r3 = records[3]!;
    expect(r3).toMatchObject({
      topic,
      partition: 0,
      offset: 3n,
      timestamp: 1_000_003n,
      timestampType: 'create-time',
    });
    expect(r3.key!.toString()).toBe('k3');
    expect(r3.headers.map(([k, v]) => [k, v.toString()])).toEqual([
      ['trace', 't3'],
      ['trace', 'again'],
    ]);

    await first.commit([{ topic, partition: 0, offset: 6n }]); // processed v0..v5
    await first.close();
    await expect(first.poll(10)).rejects.toMatchObject({ code: 'MR_KAFKA_CLOSED' });

    const second = kafka.consumer({ groupId });
    await second.subscribe([topic]);
    const resumed = await pollUntil(second, 4);
    expect(values(resumed)).toEqual(['v6', 'v7', 'v8', 'v9']);
    await second.close();
    expect(await kafka.admin().listGroupOffsets(groupId)).toEqual([{ topic, partition: 0, offset: 6n }]);
  });

  it('seeks, pauses and resumes partitions; autoOffsetReset latest starts at the end', async () => {
    const topic = await topicWith(2, 10); // partition 0: v0 v2 v4 v6 v8, partition 1: v1 v3 v5 v7 v9
    const consumer: KafkaConsumer = kafka.consumer({
      groupId: uniqueName('group'),
      listener: { onPartitionsAssigned: () => consumer.pause([{ topic, partition: 1 }]) },
    });
    await consumer.subscribe([topic]);
    expect(values(await pollUntil(consumer, 5))).toEqual(['v0', 'v2', 'v4', 'v6', 'v8']);
    expect(consumer.assignment()).toHaveLength(2);
    expect(consumer.paused()).toEqual([{ topic, partition: 1 }]);
    expect(consumer.position({ topic, partition: 0 })).toBe(5n);
    consumer.seek({ topic, partition: 0 }, 3n);
    consumer.resume([{ topic, partition: 1 }]);
    const rest = values(await pollUntil(consumer, 7)).sort();
    expect(rest).toEqual(['v1', 'v3', 'v5', 'v6', 'v7', 'v8', 'v9']);
    expect(() => consumer.seek({ topic: 'not-mine', partition: 0 }, 0n)).toThrow(
      expect.objectContaining({ code: 'MR_KAFKA_CONSUME' }) as Error,
    );
    await consumer.close();

    const latest = kafka.consumer({ groupId: uniqueName('group'), autoOffsetReset: 'latest' });
    await latest.subscribe([topic]);
    expect(await pollUntil(latest, 1, 1500)).toEqual([]);
    expect(latest.position({ topic, partition: 0 })).toBe(5n);
    await latest.close();
  });

  it('revokes before a rebalance, so the first member can commit, and splits partitions between members', async () => {
    const topic = await topicWith(2, 20);
    const groupId = uniqueName('group');
    const events: string[] = [];
    const a: KafkaConsumer = kafka.consumer({
      groupId,
      sessionTimeoutMs: 10_000,
      rebalanceTimeoutMs: 10_000,
      heartbeatIntervalMs: 500,
      listener: {
        onPartitionsAssigned: (p) => void events.push(`assigned ${p.length}`),
        onPartitionsRevoked: async (p) => {
          events.push(`revoked ${p.length}`);
          // The generation is still valid here: committing must work.
          await a.commit(p.map((tp) => ({ ...tp, offset: a.position(tp) ?? 0n })));
        },
      },
    });
    await a.subscribe([topic]);
    expect(await pollUntil(a, 20)).toHaveLength(20);
    expect(a.groupMetadata()).toMatchObject({ groupId });
    const generation = a.groupMetadata().generationId;

    const b = kafka.consumer({
      groupId,
      sessionTimeoutMs: 10_000,
      rebalanceTimeoutMs: 10_000,
      heartbeatIntervalMs: 500,
    });
    const joined = b.subscribe([topic]); // blocks until A rejoins, which waits for A's poll
    const deadline = Date.now() + 20_000;
    while (a.assignment().length !== 1 && Date.now() < deadline) await a.poll(200);
    await joined;
    await b.poll(100);

    expect(events).toEqual(['assigned 2', 'revoked 2', 'assigned 1']);
    expect(a.groupMetadata().generationId).toBeGreaterThan(generation);
    expect([...a.assignment(), ...b.assignment()].map((tp) => tp.partition).sort()).toEqual([0, 1]);
    // What A committed on revoke, B resumes from: nothing left to read.
    expect(await kafka.admin().listGroupOffsets(groupId)).toEqual([
      { topic, partition: 0, offset: 10n },
      { topic, partition: 1, offset: 10n },
    ]);
    expect(await pollUntil(b, 1, 1000)).toEqual([]);
    await Promise.all([a.close(), b.close()]);
  });

  it('reads partitions from explicit offsets without a group, up to the end offset', async () => {
    const topic = await topicWith(2, 10);
    const reader = kafka.partitionReader();
    const batches: ConsumedRecord[] = [];
    for await (const batch of reader.readToEnd({ topic, partition: 1, offset: 2n })) batches.push(...batch);
    expect(values(batches)).toEqual(['v5', 'v7', 'v9']);
    expect(await reader.endOffsets([{ topic, partition: 0 }])).toEqual([{ topic, partition: 0, offset: 5n }]);

    reader.assign([{ topic, partition: 0, offset: 4n }]);
    expect(values(await pollUntil(reader, 1))).toEqual(['v8']);
    expect(reader.position({ topic, partition: 0 })).toBe(5n);
    expect(await kafka.admin().listGroups()).not.toContainEqual(
      expect.objectContaining({ groupId: expect.stringContaining('reader') }),
    );
    await reader.close();
    await expect(reader.poll(10)).rejects.toMatchObject({ code: 'MR_KAFKA_CLOSED' });
  });
});
