import { MillraceError } from '../../errors/index.ts';
import type {
  Closeable,
  ConsumerOptions,
  KafkaAdmin,
  KafkaClient,
  KafkaClientOptions,
  KafkaConsumer,
  KafkaProducer,
  PartitionReader,
  PartitionReaderOptions,
  ProducerOptions,
  TransactionalProducer,
  TransactionalProducerOptions,
} from '../types.ts';
import { KafkaAdminImpl } from './admin.ts';
import { CloseGuard } from './errors.ts';
import { GroupConsumer } from './group-consumer.ts';
import { PartitionReaderImpl } from './partition-reader.ts';
import { KafkaProducerImpl } from './producer.ts';
import { TransactionalProducerImpl } from './transactional-producer.ts';

/** {@link KafkaClient}: validates the options once and tracks every instance it makes, to close them. */
export class KafkaClientImpl implements KafkaClient {
  readonly #options: KafkaClientOptions;
  readonly #guard = new CloseGuard('Kafka client');
  readonly #instances = new Set<Closeable>();

  constructor(options: KafkaClientOptions) {
    if (
      options.bootstrapServers.length === 0 ||
      options.bootstrapServers.some((s) => !/^[^:\s]+:\d+$/.test(s))
    ) {
      throw new MillraceError(
        'MR_CONFIG_INVALID',
        `bootstrap.servers must list host:port entries, got ${JSON.stringify(options.bootstrapServers)}: e.g. ["127.0.0.1:9092"]`,
      );
    }
    if (options.clientId.trim() === '') {
      throw new MillraceError('MR_CONFIG_INVALID', 'client.id must not be empty: use the application.id');
    }
    this.#options = Object.freeze({
      ...options,
      bootstrapServers: Object.freeze([...options.bootstrapServers]),
    });
  }

  admin(): KafkaAdmin {
    return this.#track(new KafkaAdminImpl(this.#options));
  }

  producer(options: ProducerOptions = {}): KafkaProducer {
    return this.#track(new KafkaProducerImpl(this.#options, options));
  }

  transactionalProducer(options: TransactionalProducerOptions): TransactionalProducer {
    return this.#track(new TransactionalProducerImpl(this.#options, options));
  }

  consumer(options: ConsumerOptions): KafkaConsumer {
    return this.#track(new GroupConsumer(this.#options, options));
  }

  partitionReader(options: PartitionReaderOptions = {}): PartitionReader {
    return this.#track(new PartitionReaderImpl(this.#options, options));
  }

  get closed(): boolean {
    return this.#guard.closed;
  }

  async close(): Promise<void> {
    if (!this.#guard.markClosed()) return;
    const instances = [...this.#instances];
    this.#instances.clear();
    const results = await Promise.allSettled(instances.map((i) => i.close()));
    const failed = results.filter((r) => r.status === 'rejected');
    if (failed.length > 0) {
      throw new MillraceError(
        'MR_KAFKA_CONNECT',
        `${failed.length} Kafka instance(s) failed to close cleanly: check the broker`,
        {
          cause: failed[0]!.reason,
        },
      );
    }
  }

  #track<T extends Closeable>(instance: T): T {
    this.#guard.check();
    this.#instances.add(instance);
    return instance;
  }
}
