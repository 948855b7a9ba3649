import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createKafkaClient,
  type ConsumedRecord,
  type KafkaClient,
  type PartitionReader,
} from '../../../src/kafka/index.ts';
import { bootstrapServers, eventually, uniqueName } from '../../helpers/kafka.ts';

/** Reads everything a reader can see up to the end offset (LSO under read_committed). */
async function readAll(reader: PartitionReader, topic: string): Promise<ConsumedRecord[]> {
  const records: ConsumedRecord[] = [];
  for await (const batch of reader.readToEnd({ topic, partition: 0, offset: 0n })) records.push(...batch);
  return records;
}

const values = (records: ConsumedRecord[]) => records.map((r) => r.value!.toString());
const record = (topic: string, value: string) => ({
  topic,
  key: Buffer.from(value),
  value: Buffer.from(value),
});

describe('kafka transactions (real broker)', () => {
  let kafka: KafkaClient;

  beforeAll(() => {
    kafka = createKafkaClient({ bootstrapServers: bootstrapServers(), clientId: uniqueName('txn-test') });
  });
  afterAll(async () => {
    await kafka.close();
  });

  it('hides aborted records from read_committed and shows them to read_uncommitted', async () => {
    const topic = uniqueName('txn-out');
    await kafka.admin().createTopics([{ name: topic, partitions: 1, replicationFactor: 1 }]);
    const producer = kafka.transactionalProducer({ transactionalId: uniqueName('txn') });

    await producer.beginTransaction();
    expect(producer.inTransaction).toBe(true);
    await producer.send([record(topic, 'c1'), record(topic, 'c2')]);
    await producer.commitTransaction();
    expect(producer.inTransaction).toBe(false);

    await producer.beginTransaction();
    await producer.send([record(topic, 'a1'), record(topic, 'a2'), record(topic, 'a3')]);
    await producer.abortTransaction();

    await producer.beginTransaction();
    await producer.send([record(topic, 'c3')]);
    await producer.commitTransaction();

    // A consumer group with read_committed, too.
    const committed = kafka.consumer({ groupId: uniqueName('group'), isolationLevel: 'read_committed' });
    await committed.subscribe([topic]);
    const seen: ConsumedRecord[] = [];
    const deadline = Date.now() + 10_000;
    while (seen.length < 3 && Date.now() < deadline) seen.push(...(await committed.poll(300)));
    expect(values(seen)).toEqual(['c1', 'c2', 'c3']);
    await committed.close();

    expect(values(await readAll(kafka.partitionReader({ isolationLevel: 'read_committed' }), topic))).toEqual(
      ['c1', 'c2', 'c3'],
    );
    expect(
      values(await readAll(kafka.partitionReader({ isolationLevel: 'read_uncommitted' }), topic)),
    ).toEqual(['c1', 'c2', 'a1', 'a2', 'a3', 'c3']);

    await expect(producer.send([record(topic, 'x')])).rejects.toMatchObject({ code: 'MR_KAFKA_TRANSACTION' });
    await expect(producer.commitTransaction()).rejects.toMatchObject({ code: 'MR_KAFKA_TRANSACTION' });
    await producer.close();
  });

  it('commits consumed offsets with the transaction (sendOffsetsToTransaction), not before, and not on abort', async () => {
    const input = uniqueName('txn-in');
    const output = uniqueName('txn-out');
    const admin = kafka.admin();
    await admin.createTopics([
      { name: input, partitions: 2, replicationFactor: 1 },
      { name: output, partitions: 1, replicationFactor: 1 },
    ]);
    const plain = kafka.producer();
    await plain.send(Array.from({ length: 6 }, (_, i) => ({ ...record(input, `in${i}`), partition: i % 2 })));

    const groupId = uniqueName('group');
    const consumer = kafka.consumer({ groupId, isolationLevel: 'read_committed' });
    await consumer.subscribe([input]);
    const consumed: ConsumedRecord[] = [];
    const deadline = Date.now() + 10_000;
    while (consumed.length < 6 && Date.now() < deadline) consumed.push(...(await consumer.poll(300)));
    expect(consumed).toHaveLength(6);
    const next = [0, 1].map((partition) => ({
      topic: input,
      partition,
      offset:
        consumed
          .filter((r) => r.partition === partition)
          .reduce((max, r) => (r.offset > max ? r.offset : max), -1n) + 1n,
    }));
    expect(next.map((o) => o.offset)).toEqual([3n, 3n]);

    const producer = kafka.transactionalProducer({ transactionalId: uniqueName('txn') });

    // Aborted: neither the output nor the offsets.
    await producer.beginTransaction();
    await producer.send([record(output, 'aborted')]);
    await producer.sendOffsetsToTransaction(
      next.map((o) => ({ ...o, offset: 1n })),
      consumer.groupMetadata(),
    );
    await producer.abortTransaction();
    expect(await admin.listGroupOffsets(groupId)).toEqual([]);

    // Committed: offsets become the group's only when the transaction commits.
    await producer.beginTransaction();
    await producer.send(consumed.map((r) => record(output, `out-${r.value!.toString()}`)));
    await producer.sendOffsetsToTransaction(next, consumer.groupMetadata());
    expect(await admin.listGroupOffsets(groupId)).toEqual([]); // still pending inside the transaction
    await producer.commitTransaction();
    // The coordinator materializes transactional offsets when it writes the commit markers, just after
    // EndTxn returns: wait for them (an aborted or missing commit never shows them).
    let offsets: unknown = [];
    await eventually(async () => {
      offsets = await admin.listGroupOffsets(groupId);
      return JSON.stringify(offsets, (_k, v) => (typeof v === 'bigint' ? `${v}` : v)) !== '[]';
    }, 10_000);
    expect(offsets).toEqual(next);

    const out = await readAll(kafka.partitionReader({ isolationLevel: 'read_committed' }), output);
    expect(values(out).sort()).toEqual(consumed.map((r) => `out-${r.value!.toString()}`).sort());

    // A stale generation is refused (KIP-447 fencing of zombies).
    await producer.beginTransaction();
    await expect(
      producer.sendOffsetsToTransaction(next, {
        ...consumer.groupMetadata(),
        generationId: consumer.groupMetadata().generationId + 5,
      }),
    ).rejects.toMatchObject({ code: 'MR_KAFKA_TRANSACTION' });
    await producer.abortTransaction().catch(() => undefined);

    await Promise.all([consumer.close(), producer.close(), plain.close()]);
  });
});
