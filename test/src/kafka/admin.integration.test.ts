import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafkaClient, type KafkaAdmin, type KafkaClient } from '../../../src/kafka/index.ts';
import { bootstrapServers, uniqueName } from '../../helpers/kafka.ts';

describe('kafka admin (real broker)', () => {
  let kafka: KafkaClient;
  let admin: KafkaAdmin;

  beforeAll(() => {
    kafka = createKafkaClient({ bootstrapServers: bootstrapServers(), clientId: uniqueName('admin-test') });
    admin = kafka.admin();
  });
  afterAll(async () => {
    await kafka.close();
  });

  it('creates a compacted topic whose configs read back, and ignores an existing one only when asked', async () => {
    const name = uniqueName('compacted');
    const topic = {
      name,
      partitions: 3,
      replicationFactor: 1,
      configs: { 'cleanup.policy': 'compact', 'min.compaction.lag.ms': '60000', 'segment.ms': '3600000' },
    };
    await admin.createTopics([topic]);

    const configs = await admin.describeTopicConfigs(name);
    expect(configs['cleanup.policy']).toBe('compact');
    expect(configs['min.compaction.lag.ms']).toBe('60000');
    expect(configs['segment.ms']).toBe('3600000');
    // Effective config: defaults are included too.
    expect(configs['retention.ms']).toBeDefined();

    expect(await admin.describeTopic(name)).toMatchObject({ name, partitions: 3 });
    expect(await admin.listTopics()).toContain(name);

    await admin.createTopics([topic], { ignoreIfExists: true });
    await expect(admin.createTopics([topic])).rejects.toMatchObject({ code: 'MR_KAFKA_TOPIC_CREATE' });

    await admin.deleteTopics([name]);
    await admin.deleteTopics([name], { ignoreIfMissing: true });
    await expect(admin.describeTopic(name)).rejects.toMatchObject({ code: 'MR_KAFKA_TOPIC_DESCRIBE' });
  });

  it('finds the first offset at or after a timestamp, per partition', async () => {
    const name = uniqueName('by-time');
    await admin.createTopics([{ name, partitions: 2, replicationFactor: 1 }]);
    const producer = kafka.producer();
    // Partition 0: offsets 0..4 at t = 1000, 2000, 3000, 4000, 5000. Partition 1: one record at t = 10000.
    const metas = await producer.send([
      ...[1000n, 2000n, 3000n, 4000n, 5000n].map((timestamp) => ({
        topic: name,
        partition: 0,
        key: null,
        value: Buffer.from(String(timestamp)),
        timestamp,
      })),
      { topic: name, partition: 1, key: null, value: Buffer.from('late'), timestamp: 10_000n },
    ]);
    expect(metas.map((m) => [m.partition, m.offset])).toEqual([
      [0, 0n],
      [0, 1n],
      [0, 2n],
      [0, 3n],
      [0, 4n],
      [1, 0n],
    ]);

    const at = async (t: bigint) => (await admin.listOffsets(name, { timestamp: t })).map((o) => o.offset);
    expect(await at(0n)).toEqual([0n, 0n]);
    expect(await at(1000n)).toEqual([0n, 0n]);
    expect(await at(1500n)).toEqual([1n, 0n]);
    expect(await at(3000n)).toEqual([2n, 0n]);
    expect(await at(4999n)).toEqual([4n, 0n]);
    expect(await at(5001n)).toEqual([-1n, 0n]);
    expect(await at(20_000n)).toEqual([-1n, -1n]);
    const found = await admin.listOffsets(name, { timestamp: 2500n }, { partitions: [0] });
    expect(found).toEqual([{ topic: name, partition: 0, offset: 2n, timestamp: 3000n }]);

    expect((await admin.listOffsets(name, 'earliest')).map((o) => o.offset)).toEqual([0n, 0n]);
    expect((await admin.listOffsets(name, 'latest')).map((o) => o.offset)).toEqual([5n, 1n]);
  });

  it('sets and lists group offsets, and shows members with their userData while a group is live', async () => {
    const name = uniqueName('group-admin');
    const groupId = uniqueName('group');
    await admin.createTopics([{ name, partitions: 2, replicationFactor: 1 }]);

    await admin.alterGroupOffsets(groupId, [
      { topic: name, partition: 0, offset: 7n },
      { topic: name, partition: 1, offset: 0n },
    ]);
    expect(await admin.listGroupOffsets(groupId)).toEqual([
      { topic: name, partition: 0, offset: 7n },
      { topic: name, partition: 1, offset: 0n },
    ]);
    expect(await admin.listGroupOffsets(groupId, ['other-topic'])).toEqual([]);
    expect((await admin.describeGroup(groupId)).members).toEqual([]);

    const consumer = kafka.consumer({ groupId, userData: Buffer.from('host-a:8080') });
    await consumer.subscribe([name]);
    await consumer.poll(100);
    const live = await admin.describeGroup(groupId);
    expect(live.state).toBe('Stable');
    expect(live.members).toHaveLength(1);
    expect(live.members[0]!.userData?.toString()).toBe('host-a:8080');
    expect(live.members[0]!.assignment.map((a) => a.partition).sort()).toEqual([0, 1]);
    expect((await admin.listGroups()).map((g) => g.groupId)).toContain(groupId);

    // The broker refuses to move the offsets of a group with members (what a reset tool relies on).
    await expect(
      admin.alterGroupOffsets(groupId, [{ topic: name, partition: 0, offset: 0n }]),
    ).rejects.toMatchObject({
      code: 'MR_KAFKA_GROUP_ADMIN',
    });
    await consumer.close();
    expect((await admin.describeGroup(groupId)).members).toEqual([]);
    await admin.deleteGroups([groupId]);
  });

  it('throws MR_KAFKA_CLOSED after close, and close is idempotent', async () => {
    const own = kafka.admin();
    await own.close();
    await own.close();
    expect(own.closed).toBe(true);
    await expect(own.listTopics()).rejects.toMatchObject({ code: 'MR_KAFKA_CLOSED' });
    const client = createKafkaClient({
      bootstrapServers: bootstrapServers(),
      clientId: uniqueName('closed'),
    });
    const producer = client.producer();
    await client.close();
    await client.close();
    await expect(producer.send([])).rejects.toMatchObject({ code: 'MR_KAFKA_CLOSED' });
    expect(() => client.admin()).toThrow(expect.objectContaining({ code: 'MR_KAFKA_CLOSED' }) as Error);
  });
});
