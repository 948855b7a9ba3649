import type {
  ConsumedRecord,
  IsolationLevel,
  KafkaClient,
  KafkaProducer,
  ProducerRecord,
  RecordHeader,
} from '../../../src/kafka/index.ts';

/** A record to produce with string key and string or byte value. */
export interface ChaosRecord {
  readonly key: string | Buffer | null;
  readonly value: string | Buffer | null;
  readonly headers?: readonly RecordHeader[];
}

const buf = (v: string | Buffer | null) => (v === null ? null : Buffer.isBuffer(v) ? v : Buffer.from(v));

/** Creates topics (replication factor 1: the chaos brokers are single nodes). */
export async function createTopics(kafka: KafkaClient, names: string[], partitions: number): Promise<void> {
  await kafka.admin().createTopics(names.map((name) => ({ name, partitions, replicationFactor: 1 })));
}

/** Sends records in batches of 5000 through `producer` (the caller owns it). */
export async function sendRecords(
  producer: KafkaProducer,
  topic: string,
  records: readonly ChaosRecord[],
): Promise<void> {
  for (let i = 0; i < records.length; i += 5000) {
    const batch: ProducerRecord[] = records.slice(i, i + 5000).map((r) => ({
      topic,
      key: buf(r.key),
      value: buf(r.value),
      ...(r.headers ? { headers: r.headers } : {}),
    }));
    await producer.send(batch);
  }
}

/** Every record of `topic` from the beginning to its end at the time of the call. */
export async function readTopic(
  kafka: KafkaClient,
  topic: string,
  isolationLevel: IsolationLevel = 'read_committed',
): Promise<ConsumedRecord[]> {
  const { partitions } = await kafka.admin().describeTopic(topic);
  const reader = kafka.partitionReader({ isolationLevel });
  const out: ConsumedRecord[] = [];
  try {
    for (let p = 0; p < partitions; p++)
      for await (const batch of reader.readToEnd({ topic, partition: p, offset: 0n })) out.push(...batch);
  } finally {
    await reader.close();
  }
  return out;
}

/** Sum of the end offsets of every partition of `topic`. */
export async function endOffsetSum(kafka: KafkaClient, topic: string): Promise<bigint> {
  return (await kafka.admin().listOffsets(topic, 'latest')).reduce((s, o) => s + o.offset, 0n);
}

/** Sum of the offsets `group` committed on `topic` (0 for partitions without a commit). */
export async function committedSum(kafka: KafkaClient, group: string, topic: string): Promise<bigint> {
  return (await kafka.admin().listGroupOffsets(group, [topic])).reduce(
    (s, o) => s + (o.offset > 0n ? o.offset : 0n),
    0n,
  );
}

/**
 * Whether no transaction is open on `topic`: on every partition the last stable offset (the
 * read_committed end) equals the high watermark. A killed instance whose transactional id is gone (its
 * state dir was deleted) leaves its transaction open until the broker aborts it after
 * `transaction.timeout.ms`; until then read_committed readers stop at it, and records committed after it
 * by the new owner are not visible yet.
 */
export async function transactionsSettled(kafka: KafkaClient, topic: string): Promise<boolean> {
  const admin = kafka.admin();
  const [stable, high] = await Promise.all([
    admin.listOffsets(topic, 'latest', { isolationLevel: 'read_committed' }),
    admin.listOffsets(topic, 'latest'),
  ]);
  return stable.every((o, i) => o.offset === high[i]!.offset);
}

/** Polls `check` until it returns true or `timeoutMs` passes; returns the last result. Errors count as false. */
export async function waitUntil(
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
  intervalMs = 250,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await Promise.resolve(check()).catch(() => false)) return true;
    if (Date.now() > deadline) return false;
    await sleep(intervalMs);
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The value of header `name` as a string, or undefined. */
export function header(record: ConsumedRecord, name: string): string | undefined {
  const h = record.headers.find(([k]) => k === name);
  return h?.[1].toString();
}
