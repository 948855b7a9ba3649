import type { IsolationLevel, KafkaClientOptions } from '../types.ts';
import { hasKafkaError } from './errors.ts';

/** The library's number of retries when none is configured (its `retries` default). */
export const LIBRARY_RETRIES = 3;
/** The library's delay before a retry when none is configured (its `retryDelay` default), ms. */
export const LIBRARY_RETRY_DELAY_MS = 1000;
/**
 * Delays before the retries of an error that only says "the coordinator is still finishing the previous step"
 * (CONCURRENT_TRANSACTIONS: the markers of the transaction just committed are being written), ms. Java's
 * producer retries AddPartitionsToTxn after 20 ms in that case instead of its usual backoff; with the
 * library's flat 1 s, the first send after a commit often stalled the stream thread for a whole second.
 * The later delays grow, so the whole schedule still waits about as long as the library's default would.
 */
export const CONCURRENT_TRANSACTIONS_DELAYS_MS = [20, 20, 20, 50, 100, 200, 400, 800, 1000, 1000, 1000];
/** Extra attempts a transactional producer gets, so the short delays above do not shorten its patience. */
export const TRANSACTIONAL_EXTRA_RETRIES = CONCURRENT_TRANSACTIONS_DELAYS_MS.length - 3;

/** The connection options every library client gets. */
export interface LibraryBaseOptions {
  clientId: string;
  bootstrapBrokers: string[];
  timeout?: number;
  retries?: number;
  /** Delay before retry `attempt` (1-based) of a failed request: {@link retryDelayMs}. */
  retryDelay: (
    client: unknown,
    operationId: string,
    attempt: number,
    retries: number,
    error: unknown,
  ) => number;
  /** Millrace never creates topics by accident: topics are created explicitly through the admin. */
  autocreateTopics: false;
}

/** Maps our client options to the library's, with a role suffix on the client id (`app-producer`). */
export function baseOptions(options: KafkaClientOptions, role: string): LibraryBaseOptions {
  const base: LibraryBaseOptions = {
    clientId: `${options.clientId}-${role}`,
    bootstrapBrokers: [...options.bootstrapServers],
    autocreateTopics: false,
    retryDelay: (_client, _operation, attempt, _retries, error) => retryDelayMs(attempt, error),
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

/**
 * Delay before retry `attempt` (1-based): {@link CONCURRENT_TRANSACTIONS_DELAYS_MS} while the error is
 * CONCURRENT_TRANSACTIONS, else the library's default.
 */
export function retryDelayMs(attempt: number, error: unknown): number {
  if (!hasKafkaError(error, 'CONCURRENT_TRANSACTIONS')) return LIBRARY_RETRY_DELAY_MS;
  const delays = CONCURRENT_TRANSACTIONS_DELAYS_MS;
  return delays[Math.min(Math.max(attempt, 1), delays.length) - 1]!;
}
