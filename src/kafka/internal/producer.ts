import { Buffer } from 'node:buffer';
import { Producer, type MessageToProduce, type ProduceResult } from '@platformatic/kafka';
import type {
  KafkaClientOptions,
  KafkaProducer,
  ProducerOptions,
  ProducerRecord,
  RecordMetadata,
} from '../types.ts';
import { LIBRARY_RETRIES, TRANSACTIONAL_EXTRA_RETRIES, baseOptions } from './base-options.ts';
import { CloseGuard, wrapKafka } from './errors.ts';
import { partitionFor } from './murmur2.ts';
import { installProduceEncoder } from './produce-encoder.ts';

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
  /** Settles when the newest send has handed its requests to the library (see send). */
  #turn: Promise<void> = Promise.resolve();

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
        : {
            transactionalId: options.transactionalId,
            producerId: -1n,
            producerEpoch: -1,
            // CONCURRENT_TRANSACTIONS is retried after short delays (retryDelayMs): more attempts keep the
            // time it waits for the coordinator about what the library's default gives.
            retries: (client.retries ?? LIBRARY_RETRIES) + TRANSACTIONAL_EXTRA_RETRIES,
          }),
      ...(options.compression === undefined ? {} : { compression: options.compression }),
    });
    // One-pass request encoding (produce-encoder.ts); without the hook the library encodes, slower but equal.
    installProduceEncoder(this.lib);
  }

  /** Serializes and routes the records, calls `send` with the library messages, and maps the result back. */
  async send(
    records: readonly ProducerRecord[],
    send: (messages: MessageToProduce[]) => Promise<ProduceResult>,
  ): Promise<RecordMetadata[]> {
    if (records.length === 0) return [];
    // Sends hand their requests to the library one after the other, in call order, and the next one goes as
    // soon as this one's requests are handed over (not acknowledged). Without the turn, a send whose topic
    // metadata is cached overtook an earlier one still fetching its metadata: the library numbers records
    // (producer sequences) when it is called, so the later send's records of a shared partition were written
    // first, e.g. a create after its delete in a changelog, which a restore then replays.
    const turn = this.#turn;
    let release!: () => void;
    this.#turn = new Promise<void>((resolve) => (release = resolve));
    try {
      await turn;
      return await this.#sendInTurn(records, send, release);
    } finally {
      release();
    }
  }

  async #sendInTurn(
    records: readonly ProducerRecord[],
    send: (messages: MessageToProduce[]) => Promise<ProduceResult>,
    release: () => void,
  ): Promise<RecordMetadata[]> {
    const topics = [...new Set(records.map((r) => r.topic))];
    const metadata = await wrapKafka(
      'MR_KAFKA_PRODUCE',
      `read metadata of ${topics.join(', ')}`,
      'check that the topics exist (auto creation is off)',
      () => this.lib.metadata({ topics }),
    );
    const messages: MessageToProduce[] = new Array(records.length);
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      let partition = r.partition;
      if (partition === undefined) {
        const count = metadata.topics.get(r.topic)?.partitionsCount ?? 1;
        partition = r.key === null ? this.#nextRoundRobin(r.topic, count) : partitionFor(r.key, count);
      }
      const message: MessageToProduce = { topic: r.topic, partition };
      if (r.key !== null) message.key = r.key;
      if (r.value !== null) message.value = r.value;
      if (r.timestamp !== undefined) message.timestamp = r.timestamp;
      if (r.headers !== undefined && r.headers.length > 0) {
        message.headers = new Map(r.headers.map(([k, v]) => [Buffer.from(k, 'utf8'), v]));
      }
      messages[i] = message;
    }
    const out: RecordMetadata[] = [];
    // One produce request per chunk, in order: a partition's batch must stay under the broker's
    // message.max.bytes (1 MiB by default), whatever one commit interval produced.
    const chunks = chunkByPartitionBytes(messages);
    for (let c = 0; c < chunks.length; c++) {
      const chunk = chunks[c]!;
      const pending = send(chunk);
      // The last request is handed over: the next send may go (an earlier chunk's failure throws below).
      if (c === chunks.length - 1) release();
      const result = await pending;
      // Base offset of each partition's batch, then each record's index within it (per topic, by partition:
      // no string key per record).
      const next = new Map<string, bigint[]>();
      for (const o of result.offsets ?? []) {
        let byPartition = next.get(o.topic);
        if (byPartition === undefined) next.set(o.topic, (byPartition = []));
        byPartition[o.partition] = o.offset;
      }
      for (const m of chunk) {
        const byPartition = next.get(m.topic);
        const offset = byPartition?.[m.partition!];
        if (offset === undefined || offset < 0n) {
          out.push({ topic: m.topic, partition: m.partition!, offset: -1n });
          continue;
        }
        out.push({ topic: m.topic, partition: m.partition!, offset });
        byPartition![m.partition!] = offset + 1n;
      }
    }
    return out;
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

/** Most bytes of one partition's records in one produce request (below the 1 MiB message.max.bytes default). */
export const MAX_PARTITION_BATCH_BYTES = 768 * 1024;
/** Most bytes of one produce request. */
export const MAX_REQUEST_BYTES = 8 * 1024 * 1024;

/**
 * Splits messages, in order, into chunks where no partition gets more than {@link MAX_PARTITION_BATCH_BYTES}
 * and no chunk more than {@link MAX_REQUEST_BYTES} (estimated: key + value + headers + 70 bytes of record
 * overhead). A single record larger than the limit travels alone (the broker then says whether it fits).
 */
export function chunkByPartitionBytes(messages: readonly MessageToProduce[]): MessageToProduce[][] {
  const chunks: MessageToProduce[][] = [];
  let chunk: MessageToProduce[] = [];
  // topic → bytes per partition in the current chunk (arrays indexed by partition: no string key per record)
  let perTopic = new Map<string, number[]>();
  let total = 0;
  for (const m of messages) {
    let size = 70 + (m.key?.length ?? 0) + (m.value?.length ?? 0);
    if (m.headers) {
      const entries = m.headers instanceof Map ? [...m.headers] : Object.entries(m.headers);
      for (const [k, v] of entries) size += k.length + v.length + 8;
    }
    const partition = m.partition!;
    let bytes = perTopic.get(m.topic);
    const current = bytes?.[partition] ?? 0;
    if (
      chunk.length > 0 &&
      (current + size > MAX_PARTITION_BATCH_BYTES || total + size > MAX_REQUEST_BYTES)
    ) {
      chunks.push(chunk);
      chunk = [];
      perTopic = new Map();
      bytes = undefined;
      total = 0;
    }
    chunk.push(m);
    if (bytes === undefined) perTopic.set(m.topic, (bytes = []));
    bytes[partition] = (bytes[partition] ?? 0) + size;
    total += size;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}
