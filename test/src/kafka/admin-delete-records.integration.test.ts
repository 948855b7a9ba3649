import { afterAll, describe, expect, it } from 'vitest';
import { isMillraceError } from '../../../src/errors/index.ts';
import { createTopics, produceStrings, testKafka, uniqueName } from '../../helpers/kafka.ts';

describe('KafkaAdmin.deleteRecords', () => {
  const kafka = testKafka();
  afterAll(() => kafka.close());

  it('moves the earliest offset of each partition to the given offset; later records stay readable', async () => {
    const topic = uniqueName('delete-records');
    await createTopics(kafka, [topic], 2);
    const records = Array.from({ length: 100 }, (_, i) => ({ key: `k${i}`, value: `v${i}` }));
    await produceStrings(kafka, topic, records);
    const admin = kafka.admin();
    const before = await admin.listOffsets(topic, 'earliest');
    const end = await admin.listOffsets(topic, 'latest');
    expect(before.map((o) => o.offset)).toEqual([0n, 0n]);
    const perPartition = end.map((o) => o.offset);
    expect(perPartition[0]! + perPartition[1]!).toBe(100n);
    expect(perPartition[0]! > 5n && perPartition[1]! > 0n).toBe(true);

    // Partition 0: purge up to 5; partition 1: up to its end (-1n).
    const result = await admin.deleteRecords(topic, [
      { partition: 0, offset: 5n },
      { partition: 1, offset: -1n },
    ]);
    expect(result).toEqual([
      { topic, partition: 0, offset: 5n },
      { topic, partition: 1, offset: perPartition[1] },
    ]);
    const after = await admin.listOffsets(topic, 'earliest');
    expect(after.map((o) => o.offset)).toEqual([5n, perPartition[1]]);

    // What is left of partition 0: offsets 5.. (reading from an offset before 5 is out of range now).
    const reader = kafka.partitionReader({ isolationLevel: 'read_uncommitted' });
    const left = [];
    try {
      for await (const batch of reader.readToEnd({ topic, partition: 0, offset: 5n })) left.push(...batch);
    } finally {
      await reader.close();
    }
    expect(left.map((r) => r.offset)).toEqual(
      Array.from({ length: Number(perPartition[0]! - 5n) }, (_, i) => BigInt(i + 5)),
    );
  });

  it('refuses an offset beyond the end with MR_KAFKA_DELETE_RECORDS', async () => {
    const topic = uniqueName('delete-records-oor');
    await createTopics(kafka, [topic], 1);
    await produceStrings(kafka, topic, [{ key: 'a', value: 'b' }]);
    let caught: unknown;
    try {
      await kafka.admin().deleteRecords(topic, [{ partition: 0, offset: 99n }]);
    } catch (err) {
      caught = err;
    }
    expect(isMillraceError(caught) && caught.code).toBe('MR_KAFKA_DELETE_RECORDS');
    expect((await kafka.admin().listOffsets(topic, 'earliest'))[0]?.offset).toBe(0n);
  });
});
