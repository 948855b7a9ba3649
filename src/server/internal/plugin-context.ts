import type { Logger } from 'pino';
import { createKafkaClient, type KafkaClient, type KafkaProducer } from '../../kafka/index.ts';
import { MillraceError } from '../../errors/index.ts';
import type { StreamsApp } from '../../runtime/streams-app.ts';
import type { PluginContext } from '../plugin.ts';
import type { StoreQuery } from './store-query.ts';

/** The {@link PluginContext} of a server, and how to release what it opened. */
export function createPluginContext(
  apps: ReadonlyMap<string, StreamsApp>,
  query: StoreQuery,
  log: Logger,
  kafka: KafkaClient | undefined,
): { context: PluginContext; close(): Promise<void> } {
  let ownClient: KafkaClient | undefined;
  let producer: KafkaProducer | undefined;
  const getProducer = (): KafkaProducer => {
    if (producer) return producer;
    let client = kafka;
    if (!client) {
      const first = apps.values().next().value;
      if (!first)
        throw new MillraceError('MR_APP_NOT_RUNNING', 'produce() needs a Kafka client: no application runs');
      client = ownClient = createKafkaClient({
        bootstrapServers: first.config['bootstrap.servers'],
        clientId: `${first.config['client.id']}-http`,
      });
    }
    producer = client.producer();
    return producer;
  };
  const context: PluginContext = {
    apps,
    async get<V>(applicationId: string, store: string, key: string) {
      const r = await query.get(applicationId, store, key);
      return { value: r.value as V | undefined, servedBy: r.servedBy };
    },
    async scan<V>(applicationId: string, store: string, request: Parameters<PluginContext['scan']>[2]) {
      const r = await query.scan(applicationId, store, request);
      return r.entries.map((e) => ({ key: String(e.key), value: e.value as V }));
    },
    async produce(topic, records) {
      await getProducer().send(
        records.map((r) => ({
          topic,
          key: r.key === null ? null : Buffer.from(r.key),
          value: Buffer.from(JSON.stringify(r.value)),
          headers: Object.entries(r.headers ?? {}).map(([k, v]) => [k, Buffer.from(v)] as const),
        })),
      );
    },
    log: {
      info: (o, m) => (typeof o === 'string' ? log.info(o) : log.info(o, m)),
      warn: (o, m) => (typeof o === 'string' ? log.warn(o) : log.warn(o, m)),
      error: (o, m) => (typeof o === 'string' ? log.error(o) : log.error(o, m)),
    },
  };
  return {
    context,
    async close() {
      await producer?.close().catch(() => undefined);
      await ownClient?.close().catch(() => undefined);
    },
  };
}
