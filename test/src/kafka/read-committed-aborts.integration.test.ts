import { afterAll, describe, expect, it } from 'vitest';
import type {
  ConsumedRecord,
  IsolationLevel,
  KafkaClient,
  TransactionalProducer,
} from '../../../src/kafka/index.ts';
import { createTopics, readTopic, testKafka, uniqueName } from '../../helpers/kafka.ts';

const values = (records: ConsumedRecord[]) => records.map((r) => r.value!.toString());
const record = (topic: string, value: string | Buffer) => ({
  topic,
  partition: 0,
  key: Buffer.from('k'),
  value: typeof value === 'string' ? Buffer.from(value) : value,
});

/**
 * Aborts a transaction that added the partition but wrote nothing to it: the broker writes an ABORT marker
 * with no aborted data before it (and lists no aborted transaction for it). A record over the broker's
 * message.max.bytes (1 MiB) is refused after AddPartitionsToTxn succeeded — as a fenced producer's produce
 * request is, the case of the task-migration test. The producer is then replaced (its sequence numbers
 * counted the refused record), as a fenced one is: same transactional id, so same producer id, next epoch.
 */
async function abortEmpty(
  kafka: KafkaClient,
  producer: TransactionalProducer,
  topic: string,
): Promise<TransactionalProducer> {
  await producer.beginTransaction();
  await expect(producer.send([record(topic, Buffer.alloc(2 * 1024 * 1024, 1))])).rejects.toThrow();
  await producer.abortTransaction();
  await producer.close();
  return kafka.transactionalProducer({ transactionalId: producer.transactionalId });
}

/** Every value of partition 0 up to its high watermark, through PartitionReader.pollChangelog. */
async function pollChangelogValues(kafka: KafkaClient, topic: string, isolationLevel: IsolationLevel) {
  const reader = kafka.partitionReader({ isolationLevel });
  try {
    const tp = { topic, partition: 0 };
    const [end] = await reader.endOffsets([tp], { highWatermark: true });
    reader.assign([{ ...tp, offset: 0n }]);
    const out: string[] = [];
    while ((reader.position(tp) ?? 0n) < end!.offset) {
      for (const r of await reader.pollChangelog!(500))
        out.push(...r.values.map((v) => Buffer.from(v!).toString()));
    }
    return out;
  } finally {
    await reader.close();
  }
}

describe('read_committed with several aborted transactions of one producer id (real broker)', () => {
  const kafka: KafkaClient = testKafka();

  afterAll(async () => {
    await kafka.close();
  });

  it('drops only the aborted transactions, never a committed one between two aborts', async () => {
    const topic = uniqueName('rc-aborts');
    await createTopics(kafka, [topic], 1);
    let producer = kafka.transactionalProducer({ transactionalId: uniqueName('rc-aborts-txn') });
    const committed: string[] = [];
    const all: string[] = [];
    try {
      // aborted (with data), committed, aborted without data here, committed, aborted (with data), committed
      await producer.beginTransaction();
      await producer.send([record(topic, 'a1'), record(topic, 'a2')]);
      await producer.abortTransaction();
      all.push('a1', 'a2');

      await producer.beginTransaction();
      await producer.send([record(topic, 'c1'), record(topic, 'c2')]);
      await producer.commitTransaction();
      committed.push('c1', 'c2');

      producer = await abortEmpty(kafka, producer, topic);

      await producer.beginTransaction();
      await producer.send([record(topic, 'c3')]);
      await producer.commitTransaction();
      committed.push('c3');

      await producer.beginTransaction();
      await producer.send([record(topic, 'a3')]);
      await producer.abortTransaction();
      all.push('a3');

      await producer.beginTransaction();
      await producer.send([record(topic, 'c4')]);
      await producer.commitTransaction();
      committed.push('c4');

      producer = await abortEmpty(kafka, producer, topic);
    } finally {
      await producer.close();
    }

    expect(values(await readTopic(kafka, topic, 'read_committed'))).toEqual(committed);
    expect(values(await readTopic(kafka, topic, 'read_uncommitted')).sort()).toEqual(
      [...all, ...committed].sort(),
    );
    // The restore reader's own decoding of raw fetch responses keeps the same records.
    expect(await pollChangelogValues(kafka, topic, 'read_committed')).toEqual(committed);
    expect((await pollChangelogValues(kafka, topic, 'read_uncommitted')).sort()).toEqual(
      [...all, ...committed].sort(),
    );
  });
});
