import type { IsolationLevel, KafkaClientOptions } from '../types.ts';

/** The connection options every library client gets. */
export interface LibraryBaseOptions {
  clientId: string;
  bootstrapBrokers: string[];
  timeout?: number;
  retries?: number;
  /** Millrace never creates topics by accident: topics are created explicitly through the admin. */
  autocreateTopics: false;
}

/** Maps our client options to the library's, with a role suffix on the client id (`app-producer`). */
export function baseOptions(options: KafkaClientOptions, role: string): LibraryBaseOptions {
  const base: LibraryBaseOptions = {
    clientId: `${options.clientId}-${role}`,
    bootstrapBrokers: [...options.bootstrapServers],
    autocreateTopics: false,
  };
  if (options.requestTimeoutMs !== undefined) base.timeout = options.requestTimeoutMs;
  if (options.retries !== undefined) base.retries = options.retries;
  return base;
}

/** Kafka's wire value of an isolation level (FetchIsolationLevels / ListOffsets). */
export function isolationLevelValue(level: IsolationLevel | undefined): 0 | 1 {
  return level === 'read_committed' ? 1 : 0;
}

/** `topic:partition`, the key of per-partition maps. */
export function tpKey(topic: string, partition: number): string {
  return `${topic}:${partition}`;
}
