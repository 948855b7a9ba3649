import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import {
  createKafkaClient,
  type ConsumedRecord,
  type KafkaClient,
  type ProducerRecord,
} from '../../src/kafka/index.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Bootstrap servers of the broker the integration global setup found or started. */
    kafkaBootstrapServers: string;
  }
}

/** The broker every integration test talks to (found or started by test/setup/kafka-global-setup.ts). */
export function bootstrapServers(): string[] {
  return inject('kafkaBootstrapServers').split(',');
}

/**
 * A name no other test run uses, so tests run in parallel and again and again on one broker.
 * @example uniqueName('orders') // 'orders-3f2a9c1d7e'
 */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().replaceAll('-', '').slice(0, 10)}`;
}

/** A Kafka client for a test (close it in afterAll). */
export function testKafka(clientId = uniqueName('test')): KafkaClient {
  return createKafkaClient({ bootstrapServers: bootstrapServers(), clientId });
}

/** Creates topics with `partitions` partitions each (replication factor 1). */
export async function createTopics(
  kafka: KafkaClient,
  names: string[],
  partitions: number,
  configs?: Record<string, string>,
): Promise<void> {
  await kafka.admin().createTopics(
    names.map((name) => ({
      name,
      partitions,
      replicationFactor: 1,
      configs: { ...TEST_TOPIC_CONFIG, ...configs },
    })),
  );
}

/**
 * Configs of every test topic. Tests write records with fixed event times, often months or years old, and the
 * broker's time retention (7 days by default) deletes a segment once its newest record's timestamp is older
 * than that, at its next retention check (every 5 minutes): input not consumed yet, or output not read yet,
 * would vanish in the middle of a test, depending on when the check runs.
 */
export const TEST_TOPIC_CONFIG: Readonly<Record<string, string>> = { 'retention.ms': '-1' };

/** Produces string-keyed records with string or byte values, in batches. */
export async function produceStrings(
  kafka: KafkaClient,
  topic: string,
  records: readonly { key: string | null; value: string | Buffer | null; timestamp?: number }[],
): Promise<void> {
  const producer = kafka.producer();
  for (let i = 0; i < records.length; i += 5000) {
    const batch: ProducerRecord[] = records.slice(i, i + 5000).map((r) => ({
      topic,
      key: r.key === null ? null : Buffer.from(r.key),
      value: r.value === null ? null : Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value),
      ...(r.timestamp !== undefined ? { timestamp: BigInt(r.timestamp) } : {}),
    }));
    await producer.send(batch);
  }
  await producer.close();
}

/** Reads every partition of `topic` from the beginning to its current end. */
export async function readTopic(
  kafka: KafkaClient,
  topic: string,
  isolationLevel: 'read_committed' | 'read_uncommitted' = 'read_committed',
): Promise<ConsumedRecord[]> {
  const admin = kafka.admin();
  const { partitions } = await admin.describeTopic(topic);
  if (isolationLevel === 'read_committed' && !(await waitForTransactionMarkers(kafka, topic))) {
    // A read_committed read stops at the last stable offset: it would silently miss every record after an
    // open transaction's first one.
    const stable = await admin.listOffsets(topic, 'latest', { isolationLevel: 'read_committed' });
    const high = await admin.listOffsets(topic, 'latest', { isolationLevel: 'read_uncommitted' });
    const show = (o: { partition: number; offset: bigint }[]) =>
      o.map((x) => `${x.partition}:${x.offset}`).join(' ');
    throw new Error(
      `a transaction is still open on ${topic} after 10 s (last stable offsets ${show(stable)}, high watermarks ${show(high)})`,
    );
  }
  // From each partition's earliest offset: repartition topics are purged once committed.
  const earliest = await admin.listOffsets(topic, 'earliest');
  const reader = kafka.partitionReader({ isolationLevel });
  const out: ConsumedRecord[] = [];
  try {
    for (let p = 0; p < partitions; p++) {
      const offset = earliest.find((o) => o.partition === p)?.offset ?? 0n;
      for await (const batch of reader.readToEnd({ topic, partition: p, offset })) out.push(...batch);
    }
  } finally {
    await reader.close();
  }
  return out;
}

/** Polls `check` until it returns true or `timeoutMs` passes; returns the last result. */
export async function eventually(
  check: () => Promise<boolean> | boolean,
  timeoutMs = 60_000,
  intervalMs = 250,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * Waits (up to `timeoutMs`) until no transaction is open on `topic`: every partition's last stable offset
 * equals its high watermark. The coordinator writes commit markers just after EndTxn returns, so a
 * read_committed read right after a commit could stop short of the transaction it just committed.
 */
export async function waitForTransactionMarkers(
  kafka: KafkaClient,
  topic: string,
  timeoutMs = 10_000,
): Promise<boolean> {
  const admin = kafka.admin();
  return eventually(
    async () => {
      const stable = await admin.listOffsets(topic, 'latest', { isolationLevel: 'read_committed' });
      const high = await admin.listOffsets(topic, 'latest', { isolationLevel: 'read_uncommitted' });
      return stable.every((s) => high.find((h) => h.partition === s.partition)?.offset === s.offset);
    },
    timeoutMs,
    100,
  );
}

/**
 * A check for `eventually`: `topic` holds `produced.total` records in all (read at each check) and group
 * `groupId` has committed the end of every partition of it (the application has processed its whole input).
 */
export function groupCaughtUp(
  kafka: KafkaClient,
  groupId: string,
  topic: string,
  produced: { readonly total: number },
) {
  const admin = kafka.admin();
  const sum = (offsets: { offset: bigint }[]) => offsets.reduce((s, o) => s + o.offset, 0n);
  return async (): Promise<boolean> => {
    const end = sum(await admin.listOffsets(topic, 'latest'));
    const done = sum(await admin.listGroupOffsets(groupId, [topic]));
    return end === BigInt(produced.total) && done === end;
  };
}
