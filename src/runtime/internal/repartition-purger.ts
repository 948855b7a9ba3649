import type { KafkaAdmin, KafkaClient, TopicPartitionOffset } from '../../kafka/index.ts';

/** What the purger needs. */
export interface RepartitionPurgerOptions {
  kafka: KafkaClient;
  /** The application's repartition topics (only these are ever purged: nobody else reads them). */
  repartitionTopics: ReadonlySet<string>;
  /** `repartition.purge.interval.ms`: at most one purge round per interval. */
  intervalMs: number;
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
}

/**
 * Deletes the records of repartition topics that the application has consumed and committed (Kafka
 * Streams' repartition purge, KIP-204 / KIP-811): a repartition topic is written and read only by this
 * application, so once a task's commit covers an offset, the records before it are never read again.
 * Without it, repartition topics grow until their retention (infinite in Kafka Streams' defaults).
 *
 * The thread reports the committed offsets after each successful commit (after the transaction commits
 * under exactly-once: an aborted transaction's offsets may be re-read). The highest offset per partition
 * is kept, and at most once per interval one DeleteRecords per topic is sent in the background. A failure
 * is only logged: the next round deletes up to a later offset anyway.
 */
export class RepartitionPurger {
  readonly #o: RepartitionPurgerOptions;
  readonly #pending = new Map<string, TopicPartitionOffset>();
  #admin: KafkaAdmin | undefined;
  #lastPurge = Date.now();
  #inFlight: Promise<void> | undefined;
  /** Purge rounds completed (tests and logs). */
  purgedRounds = 0;

  constructor(options: RepartitionPurgerOptions) {
    this.#o = options;
  }

  /** Notes committed next-offsets; starts a purge round when the interval has passed. */
  committed(offsets: readonly TopicPartitionOffset[]): void {
    if (this.#o.repartitionTopics.size === 0) return;
    for (const o of offsets) {
      if (!this.#o.repartitionTopics.has(o.topic)) continue;
      const key = `${o.topic}:${o.partition}`;
      const before = this.#pending.get(key);
      if (before === undefined || before.offset < o.offset) this.#pending.set(key, o);
    }
    if (this.#inFlight || this.#pending.size === 0) return;
    if (Date.now() - this.#lastPurge < this.#o.intervalMs) return;
    this.#lastPurge = Date.now();
    const batch = [...this.#pending.values()];
    this.#pending.clear();
    this.#inFlight = this.#purge(batch).finally(() => {
      this.#inFlight = undefined;
    });
  }

  async close(): Promise<void> {
    await this.#inFlight;
    await this.#admin?.close().catch(() => undefined);
  }

  async #purge(batch: readonly TopicPartitionOffset[]): Promise<void> {
    this.#admin ??= this.#o.kafka.admin();
    const byTopic = new Map<string, { partition: number; offset: bigint }[]>();
    for (const o of batch) {
      let list = byTopic.get(o.topic);
      if (!list) byTopic.set(o.topic, (list = []));
      list.push({ partition: o.partition, offset: o.offset });
    }
    for (const [topic, offsets] of byTopic) {
      try {
        await this.#admin.deleteRecords(topic, offsets);
      } catch (err) {
        this.#o.log(
          'warn',
          `purging repartition topic ${topic} failed (retried at the next commit): ${(err as Error).message}`,
        );
      }
    }
    this.purgedRounds++;
  }
}
