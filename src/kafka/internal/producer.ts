import { Producer, type MessageToProduce, type ProduceResult } from '@platformatic/kafka';
import type {
  KafkaClientOptions,
  KafkaProducer,
  ProducerOptions,
  ProducerRecord,
  RecordMetadata,
} from '../types.ts';
import { baseOptions, tpKey } from './base-options.ts';
import { CloseGuard, wrapKafka } from './errors.ts';
import { partitionFor } from './murmur2.ts';

/** The library producer's constructor options we use. */
export interface LibraryProducerOptions {
  readonly idempotent: boolean;
  readonly transactionalId?: string;
  readonly compression?: ProducerOptions['compression'];
}

/**
 * Chooses each record's partition (explicit, else Java murmur2 of the key, else round-robin for null keys) so
 * the result can report every record's offset: base offset of its partition's batch + its index in that batch.
 */
export class RecordSender {
  readonly lib: Producer;
  readonly #roundRobin = new Map<string, number>();

  constructor(client: KafkaClientOptions, options: LibraryProducerOptions, role: string) {
    this.lib = new Producer({
      ...baseOptions(client, role),
      idempotent: options.idempotent,
      ...(options.idempotent ? { acks: -1 } : {}),
      // InitProducerId v3+ sends the producer id and epoch it expects; the library defaults them to 0/0, which
      // the coordinator answers with PRODUCER_FENCED once the transactional id exists (every restart).
      // -1/-1 asks for a fresh epoch, fencing the previous incarnation and aborting its open transaction.
      ...(options.transactionalId === undefined
        ? {}
        : { transactionalId: options.transactionalId, producerId: -1n, producerEpoch: -1 }),
      ...(options.compression === undefined ? {} : { compression: options.compression }),
    });
  }

  /** Serializes and routes the records, calls `send` with the library messages, and maps the result back. */
  async send(
    records: readonly ProducerRecord[],
    send: (messages: MessageToProduce[]) => Promise<ProduceResult>,
  ): Promise<RecordMetadata[]> {
    if (records.length === 0) return [];
    const topics = [...new Set(records.map((r) => r.topic))];
    const metadata = await wrapKafka(
      'MR_KAFKA_PRODUCE',
      `read metadata of ${topics.join(', ')}`,
      'check that the topics exist (auto creation is off)',
      () => this.lib.metadata({ topics }),
    );
    const messages: MessageToProduce[] = records.map((r) => {
      const count = metadata.topics.get(r.topic)?.partitionsCount ?? 1;
      const partition =
        r.partition ?? (r.key === null ? this.#nextRoundRobin(r.topic, count) : partitionFor(r.key, count));
      const message: MessageToProduce = { topic: r.topic, partition };
      if (r.key !== null) message.key = r.key;
      if (r.value !== null) message.value = r.value;
      if (r.timestamp !== undefined) message.timestamp = r.timestamp;
      if (r.headers !== undefined && r.headers.length > 0) {
        message.headers = new Map(r.headers.map(([k, v]) => [Buffer.from(k, 'utf8'), v]));
      }
      return message;
    });
    const result = await send(messages);
    const base = new Map((result.offsets ?? []).map((o) => [tpKey(o.topic, o.partition), o.offset]));
    const seen = new Map<string, bigint>();
    return messages.map((m) => {
      const key = tpKey(m.topic, m.partition!);
      const index = seen.get(key) ?? 0n;
      seen.set(key, index + 1n);
      const offset = base.get(key);
      return {
        topic: m.topic,
        partition: m.partition!,
        offset: offset === undefined || offset < 0n ? -1n : offset + index,
      };
    });
  }

  #nextRoundRobin(topic: string, count: number): number {
    const next = this.#roundRobin.get(topic) ?? 0;
    this.#roundRobin.set(topic, next + 1);
    return next % count;
  }
}

/** {@link KafkaProducer}: idempotent (acks=all) unless `idempotent: false`. */
export class KafkaProducerImpl implements KafkaProducer {
  readonly #sender: RecordSender;
  readonly #guard = new CloseGuard('Kafka producer');

  constructor(client: KafkaClientOptions, options: ProducerOptions) {
    this.#sender = new RecordSender(
      client,
      {
        idempotent: options.idempotent ?? true,
        ...(options.compression ? { compression: options.compression } : {}),
      },
      'producer',
    );
  }

  get closed(): boolean {
    return this.#guard.closed;
  }

  async send(records: readonly ProducerRecord[]): Promise<RecordMetadata[]> {
    this.#guard.check();
    return this.#sender.send(records, (messages) =>
      wrapKafka(
        'MR_KAFKA_PRODUCE',
        'produce records',
        'check that the topics exist and the broker is reachable',
        () => this.#sender.lib.send({ messages }),
      ),
    );
  }

  async close(): Promise<void> {
    if (!this.#guard.markClosed()) return;
    await this.#sender.lib.close(true);
  }
}
