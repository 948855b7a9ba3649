/**
 * The ceiling (issue 7): a bare consume → produce loop over Millrace's Kafka adapter, no state, no
 * deserialization. Same consumer group protocol, commit interval and guarantee as the stream processors:
 * at_least_once sends each poll's records, waits for the acks, and commits the offsets every commit
 * interval; exactly_once_v2 does it inside a transaction (read_committed input, offsets sent to the
 * transaction, commit every interval), as a Kafka Streams task would. Prints `READY <epoch ms>` once
 * partitions are assigned. Usage: `node bench/workers/ceiling-worker.ts '<WorkerConfig JSON>'`.
 */
import { createKafkaClient, type ProducerRecord, type TopicPartitionOffset } from '../../src/kafka/index.ts';
import { READY, type WorkerConfig } from './worker-config.ts';

const config = JSON.parse(process.argv[2] ?? '{}') as WorkerConfig;
const eos = config.guarantee === 'exactly_once_v2';
const kafka = createKafkaClient({
  bootstrapServers: config.bootstrapServers.split(','),
  clientId: config.topics.appId,
});
const consumer = kafka.consumer({
  groupId: config.topics.appId,
  isolationLevel: eos ? 'read_committed' : 'read_uncommitted',
  autoOffsetReset: 'earliest',
});
const txn = eos ? kafka.transactionalProducer({ transactionalId: `${config.topics.appId}-0` }) : undefined;
const producer = txn ?? kafka.producer();

let stopping = false;
process.on('SIGTERM', () => {
  stopping = true;
});

await consumer.subscribe([config.topics.input]);
let ready = false;
const pending = new Map<string, TopicPartitionOffset>();
let lastCommit = performance.now();
let inTxn = false;
while (!stopping) {
  const records = await consumer.poll(100);
  if (!ready && consumer.assignment().length > 0) {
    ready = true;
    console.log(`${READY} ${Date.now()}`);
  }
  if (records.length > 0) {
    if (txn && !inTxn) {
      await txn.beginTransaction();
      inTxn = true;
    }
    const out: ProducerRecord[] = new Array(records.length);
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      out[i] = { topic: config.topics.output, key: r.key, value: r.value, timestamp: r.timestamp };
      pending.set(`${r.topic}:${r.partition}`, {
        topic: r.topic,
        partition: r.partition,
        offset: r.offset + 1n,
      });
    }
    await producer.send(out);
  }
  if (pending.size > 0 && performance.now() - lastCommit >= config.commitIntervalMs) {
    const offsets = [...pending.values()];
    if (txn) {
      await txn.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
      await txn.commitTransaction();
      inTxn = false;
    } else await consumer.commit(offsets);
    pending.clear();
    lastCommit = performance.now();
  }
}
await kafka.close();
process.exit(0);
