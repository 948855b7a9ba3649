import type { KafkaClient, ProducerRecord } from '../kafka/index.ts';
import { seededRandom, type LoadGenerator } from './load-generator.ts';
import { createProgress } from './progress.ts';

/** Options of {@link runLoadgen}. */
export interface LoadgenOptions {
  kafka: KafkaClient;
  generator: LoadGenerator;
  topic: string;
  count: number;
  /** Records per second; 0 = as fast as the broker takes them. */
  rate: number;
  keys: number;
  seed: number;
  log: (m: string) => void;
}

/** Produces `count` generated records at about `rate` per second, in batches, reporting progress. */
export async function runLoadgen(o: LoadgenOptions): Promise<{ produced: number }> {
  const producer = o.kafka.producer();
  const random = seededRandom(o.seed);
  const progress = createProgress(`loadgen ${o.generator.name} → ${o.topic}`, o.count, o.log);
  const started = Date.now();
  const batchSize = o.rate > 0 ? Math.max(1, Math.min(1000, Math.ceil(o.rate / 10))) : 1000;
  let produced = 0;
  try {
    while (produced < o.count) {
      const n = Math.min(batchSize, o.count - produced);
      const batch: ProducerRecord[] = [];
      for (let i = 0; i < n; i++) {
        const r = o.generator.next(produced + i, random, { keys: o.keys });
        batch.push({
          topic: r.topic ?? o.topic,
          key: r.key === null ? null : Buffer.from(r.key),
          value: Buffer.from(r.raw ?? JSON.stringify(r.value)),
          ...(r.headers
            ? { headers: Object.entries(r.headers).map(([k, v]) => [k, Buffer.from(v)] as const) }
            : {}),
          ...(r.timestamp !== undefined ? { timestamp: BigInt(r.timestamp) } : {}),
        });
      }
      await producer.send(batch);
      produced += n;
      progress.update(produced);
      if (o.rate > 0) {
        // Pace against the start time, so slow batches are caught up rather than accumulated.
        const due = started + (produced / o.rate) * 1000;
        const wait = due - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
    }
  } finally {
    progress.done(produced);
    await producer.close();
  }
  return { produced };
}
