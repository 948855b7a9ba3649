import type { KafkaClient, ProducerRecord, TopicPartitionOffset } from '../../src/kafka/index.ts';
import type { BenchEvent, TopicToCreate } from '../scenarios/scenario.ts';

/**
 * Creates topics (replication factor 1), ignoring ones that exist. Every one gets `retention.ms: -1`: the
 * generated events carry fixed 2026-01-01 timestamps, and the broker's retention check (every 5 minutes,
 * 7 days by default) would otherwise delete the input under the feet of the later contenders.
 */
export async function createBenchTopics(kafka: KafkaClient, topics: readonly TopicToCreate[]): Promise<void> {
  if (topics.length === 0) return;
  await kafka.admin().createTopics(
    topics.map((t) => ({
      name: t.name,
      partitions: t.partitions,
      replicationFactor: 1,
      configs: { 'retention.ms': '-1', ...t.configs },
    })),
    { ignoreIfExists: true },
  );
}

/**
 * Produces events [from, to) of a generator to `topic` (keyed: murmur2 partitioning), a few batches in
 * flight, and returns the topic's end offsets afterwards.
 */
export async function loadEvents(
  kafka: KafkaClient,
  topic: string,
  from: number,
  to: number,
  event: (i: number) => BenchEvent,
  onProgress?: (done: number) => void,
): Promise<TopicPartitionOffset[]> {
  const producer = kafka.producer();
  const BATCH = 5_000;
  // One batch at a time keeps each partition's records in generation (event-time) order.
  const IN_FLIGHT = 1;
  const inFlight = new Set<Promise<unknown>>();
  for (let i = from; i < to; i += BATCH) {
    const batch: ProducerRecord[] = [];
    for (let j = i; j < Math.min(to, i + BATCH); j++) {
      const e = event(j);
      batch.push({
        topic,
        key: Buffer.from(e.key),
        value: Buffer.from(e.value),
        timestamp: BigInt(e.timestamp),
      });
    }
    const p: Promise<unknown> = producer.send(batch).finally(() => inFlight.delete(p));
    inFlight.add(p);
    if (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
    onProgress?.(Math.min(to, i + BATCH) - from);
  }
  await Promise.all(inFlight);
  await producer.close();
  return (await kafka.admin().listOffsets(topic, 'latest')).map((o) => ({
    topic,
    partition: o.partition,
    offset: o.offset,
  }));
}
