/**
 * Millrace's Kafka adapter: the only place that talks to the Kafka client library. Everything else uses the
 * interfaces in `./types.ts` through {@link createKafkaClient}.
 */
import { KafkaClientImpl } from './internal/kafka-client.ts';
import type { KafkaClient, KafkaClientOptions } from './types.ts';

export type * from './types.ts';
export { murmur2, partitionFor, toPositive } from './internal/murmur2.ts';

/**
 * Creates a Kafka client that makes admin, producer, consumer and partition-reader instances.
 *
 * @example
 * ```ts
 * const kafka = createKafkaClient({ bootstrapServers: ['127.0.0.1:9092'], clientId: 'orders-app' });
 * const producer = kafka.producer();
 * await producer.send([{ topic: 'orders', key: Buffer.from('o-1'), value: Buffer.from('{"qty":2}') }]);
 * await kafka.close(); // closes every instance it made
 * ```
 */
export function createKafkaClient(options: KafkaClientOptions): KafkaClient {
  return new KafkaClientImpl(options);
}
