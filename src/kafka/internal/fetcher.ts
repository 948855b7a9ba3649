import { ListOffsetTimestamps, Reader, readRecordsBatches, type Consumer } from '@platformatic/kafka';
import { MillraceError } from '../../errors/index.ts';
import type {
  AutoOffsetReset,
  ChangelogRecords,
  ConsumedRecord,
  TopicPartition,
  TopicPartitionOffset,
} from '../types.ts';
import { overrideApiArgument } from './api-override.ts';
import { tpKey } from './base-options.ts';
import { hasKafkaError, kafkaErrorNames, toMillraceError } from './errors.ts';
import { decodeChangelogPartition, toChangelogRecords } from './changelog-decoder.ts';
import type { RawFetchPartition } from './raw-fetch.ts';
import { decodePartition } from './record-batches.ts';

type FetchRequestTopic = Parameters<Consumer['fetch']>[0]['topics'][number];
type LibraryFetchPartition = Awaited<
  ReturnType<Consumer['fetch']>
>['responses'][number]['partitions'][number];
/** A fetched partition as the library parsed it, or with raw records when the raw parser is installed. */
type FetchedPartition = LibraryFetchPartition & { rawRecords?: RawFetchPartition['rawRecords'] };

/** The outcome of one changelog fetch round. */
export interface ChangelogFetchResult {
  readonly records: ChangelogRecords[];
  readonly nextOffsets: Map<string, bigint>;
  readonly outOfRange: TopicPartition[];
}

/** Sizes and isolation of fetches. */
export interface FetcherOptions {
  readonly readCommitted: boolean;
  readonly maxBytes: number;
  readonly maxBytesPerPartition: number;
}

/** The outcome of one fetch round: records in partition order, and the next offset of each fetched partition. */
export interface FetchResult {
  readonly records: ConsumedRecord[];
  readonly nextOffsets: Map<string, bigint>;
  /** Partitions whose fetch offset the broker reported out of range (to be reset by the caller's policy). */
  readonly outOfRange: TopicPartition[];
}

/** Fetch's isolation_level: 0 = READ_UNCOMMITTED, 1 = READ_COMMITTED. */
const READ_UNCOMMITTED = 0;
const READ_COMMITTED = 1;

/**
 * Pull-style fetching with explicit positions over the library Consumer's `fetch()` (one request per leader),
 * independent of the library's MessagesStream. Used by the group consumer and the partition reader.
 *
 * Under read_committed the request carries isolation_level 1, but the library is asked for level 0 and the
 * level is set on the wire through {@link overrideApiArgument} (Fetch is called as api(connection, maxWaitMs,
 * minBytes, maxBytes, isolationLevel, …)). Asked for level 1, the library filters the response itself, and
 * wrongly: it keeps ONE aborted range per producer id (the last listed transaction's first offset up to the
 * last ABORT marker in the response), so with two aborted transactions of one transactional producer (same
 * producer id, bumped epoch: a fenced producer, then its replacement) it drops every committed transaction
 * between them — committed output, changelog and input records vanish for read_committed readers. The
 * broker's list of aborted transactions is applied by {@link decodePartition} instead, as Java's fetcher does.
 */
export class Fetcher {
  readonly #consumer: Consumer;
  readonly #options: FetcherOptions;
  /** When consecutive transient fetch failures began (undefined while fetches succeed). */
  #failingSince: number | undefined;

  #withinTransientBudget(): boolean {
    this.#failingSince ??= Date.now();
    return Date.now() - this.#failingSince < TRANSIENT_FETCH_BUDGET_MS;
  }

  constructor(consumer: Consumer, options: FetcherOptions) {
    this.#consumer = consumer;
    this.#options = options;
    if (options.readCommitted && !overrideApiArgument(consumer, 'Fetch', 4, () => READ_COMMITTED)) {
      throw new MillraceError(
        'MR_KAFKA_CONSUME',
        'this version of the Kafka client library cannot fetch read_committed without its own filter of aborted transactions: use the version in package.json',
      );
    }
  }

  /** Fetches every position once, waiting at most `maxWaitMs` for data. */
  async fetch(positions: readonly TopicPartitionOffset[], maxWaitMs: number): Promise<FetchResult> {
    const records: ConsumedRecord[] = [];
    const rounds = await this.#fetch(positions, maxWaitMs, (topic, p, fetchOffset) => {
      const batches =
        p.rawRecords === undefined
          ? (p.records ?? [])
          : p.rawRecords === null
            ? []
            : readRecordsBatches(Reader.from(p.rawRecords));
      const decoded = decodePartition(
        topic,
        p.partitionIndex,
        fetchOffset,
        batches,
        p.abortedTransactions,
        this.#options.readCommitted,
      );
      for (const r of decoded.records) records.push(r);
      return decoded.nextOffset;
    });
    return { records, ...rounds };
  }

  /**
   * Fetches every position once for a changelog restore: each partition's keyed records as
   * {@link ChangelogRecords} (see {@link decodeChangelogPartition}), in the order of the response.
   */
  async fetchChangelog(
    positions: readonly TopicPartitionOffset[],
    maxWaitMs: number,
  ): Promise<ChangelogFetchResult> {
    const records: ChangelogRecords[] = [];
    const readCommitted = this.#options.readCommitted;
    const rounds = await this.#fetch(positions, maxWaitMs, (topic, p, fetchOffset) => {
      if (p.rawRecords !== undefined) {
        const decoded = decodeChangelogPartition(
          topic,
          p.partitionIndex,
          fetchOffset,
          p.rawRecords,
          p.abortedTransactions,
          readCommitted,
        );
        if (decoded.records.keys.length > 0) records.push(decoded.records);
        return decoded.nextOffset;
      }
      const decoded = decodePartition(
        topic,
        p.partitionIndex,
        fetchOffset,
        p.records ?? [],
        p.abortedTransactions,
        readCommitted,
      );
      const columns = toChangelogRecords(topic, p.partitionIndex, fetchOffset, decoded.records);
      if (columns.keys.length > 0) records.push(columns);
      return decoded.nextOffset;
    });
    return { records, ...rounds };
  }

  /** One fetch round; `decode` turns a fetched partition into records and returns its next offset. */
  async #fetch(
    positions: readonly TopicPartitionOffset[],
    maxWaitMs: number,
    decode: (topic: string, partition: FetchedPartition, fetchOffset: bigint) => bigint,
  ): Promise<Omit<FetchResult, 'records'>> {
    const result = { nextOffsets: new Map<string, bigint>(), outOfRange: [] as TopicPartition[] };
    if (positions.length === 0) return result;
    const topics = [...new Set(positions.map((p) => p.topic))];
    let metadata: Awaited<ReturnType<Consumer['metadata']>>;
    try {
      metadata = await this.#consumer.metadata({ topics });
    } catch (error) {
      // Right after a broker restart the metadata has no leader for a while (LEADER_NOT_AVAILABLE): like a
      // failed fetch, an empty round, retried by the next poll within the transient budget.
      if (isTransientFetchError(error) && this.#withinTransientBudget()) {
        await new Promise((resolve) => setTimeout(resolve, Math.min(maxWaitMs, TRANSIENT_RETRY_PAUSE_MS)));
        return result;
      }
      throw toMillraceError(
        'MR_KAFKA_CONSUME',
        'read topic metadata',
        'check that the broker is reachable and the topic exists',
        error,
      );
    }
    const names = new Map<string, string>();
    const byNode = new Map<number, Map<string, TopicPartitionOffset[]>>();
    for (const position of positions) {
      const topic = metadata.topics.get(position.topic);
      const leader = topic?.partitions[position.partition]?.leader;
      if (topic === undefined || leader === undefined) {
        throw new MillraceError(
          'MR_KAFKA_CONSUME',
          `partition ${position.topic}-${position.partition} does not exist: check the topic and its partition count`,
        );
      }
      names.set(topic.id, position.topic);
      const node = byNode.get(leader) ?? new Map<string, TopicPartitionOffset[]>();
      const list = node.get(topic.id) ?? [];
      list.push(position);
      node.set(topic.id, list);
      byNode.set(leader, node);
    }

    await Promise.all(
      [...byNode].map(async ([node, byTopic]) => {
        const requestTopics: FetchRequestTopic[] = [...byTopic].map(([topicId, list]) => ({
          topicId,
          partitions: list.map((p) => ({
            partition: p.partition,
            currentLeaderEpoch: -1,
            fetchOffset: p.offset,
            lastFetchedEpoch: -1,
            partitionMaxBytes: this.#options.maxBytesPerPartition,
          })),
        }));
        let response;
        try {
          response = await this.#consumer.fetch({
            node,
            topics: requestTopics,
            maxWaitTime: maxWaitMs,
            minBytes: 1,
            maxBytes: this.#options.maxBytes,
            // Always 0 for the library (no filtering of its own); on the wire the override above sends 1.
            isolationLevel: READ_UNCOMMITTED,
          });
        } catch (error) {
          if (hasKafkaError(error, 'OFFSET_OUT_OF_RANGE')) {
            for (const list of byTopic.values()) result.outOfRange.push(...list);
            return;
          }
          // A broker restart, a leader move or a lost fetch session: fetch again at the next poll (the library
          // already dropped the session), for up to TRANSIENT_FETCH_BUDGET_MS of consecutive failures.
          if (isTransientFetchError(error) && this.#withinTransientBudget()) return;
          throw toMillraceError(
            'MR_KAFKA_CONSUME',
            'fetch records',
            'check that the broker is reachable and the topic exists',
            error,
          );
        }
        this.#failingSince = undefined;
        const fetchOffsets = new Map(positions.map((p) => [tpKey(p.topic, p.partition), p.offset]));
        for (const topicResponse of response.responses) {
          const topic = names.get(topicResponse.topicId) ?? topicResponse.topicId;
          for (const p of topicResponse.partitions) {
            const key = tpKey(topic, p.partitionIndex);
            const fetchOffset = fetchOffsets.get(key);
            if (fetchOffset === undefined) continue;
            result.nextOffsets.set(key, decode(topic, p as FetchedPartition, fetchOffset));
          }
        }
      }),
    );
    return result;
  }

  /** Earliest (-2) or latest (-1) offsets of partitions. */
  async listOffsets(
    partitions: readonly TopicPartition[],
    which: 'earliest' | 'latest',
    readCommitted = this.#options.readCommitted,
  ): Promise<TopicPartitionOffset[]> {
    if (partitions.length === 0) return [];
    const byTopic: Record<string, number[]> = {};
    for (const { topic, partition } of partitions) (byTopic[topic] ??= []).push(partition);
    const offsets = await this.#call('list offsets', () =>
      this.#consumer.listOffsets({
        topics: Object.keys(byTopic),
        partitions: byTopic,
        timestamp: which === 'earliest' ? ListOffsetTimestamps.EARLIEST : ListOffsetTimestamps.LATEST,
        isolationLevel: readCommitted ? 1 : 0,
      }),
    );
    return partitions.map(({ topic, partition }) => {
      const offset = offsets.get(topic)?.[partition];
      if (offset === undefined) {
        throw new MillraceError(
          'MR_KAFKA_LIST_OFFSETS',
          `no ${which} offset for ${topic}-${partition}: check that the partition exists`,
        );
      }
      return { topic, partition, offset };
    });
  }

  /** New positions for out-of-range partitions by `policy`: earliest if below the log start, else latest. */
  async resetOutOfRange(
    partitions: readonly TopicPartitionOffset[],
    policy: AutoOffsetReset,
  ): Promise<TopicPartitionOffset[]> {
    if (partitions.length === 0) return [];
    if (policy === 'none') {
      const list = partitions.map((p) => `${p.topic}-${p.partition}@${p.offset}`).join(', ');
      throw new MillraceError(
        'MR_KAFKA_CONSUME',
        `offsets out of range (${list}) and autoOffsetReset is "none": seek to a valid offset or reset the group's offsets`,
      );
    }
    const [earliest, latest] = await Promise.all([
      this.listOffsets(partitions, 'earliest'),
      this.listOffsets(partitions, 'latest'),
    ]);
    return partitions.flatMap((p, i) => {
      const low = earliest[i]!.offset;
      const high = latest[i]!.offset;
      if (p.offset >= low && p.offset <= high) return [];
      return [{ topic: p.topic, partition: p.partition, offset: policy === 'earliest' ? low : high }];
    });
  }

  async #call<T>(action: string, operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw toMillraceError(
        'MR_KAFKA_CONSUME',
        action,
        'check that the broker is reachable and the topic exists',
        error,
      );
    }
  }
}

/** Pause after a transient metadata failure before the (empty) fetch round returns, so polls do not spin. */
const TRANSIENT_RETRY_PAUSE_MS = 100;

/** How long fetches may keep failing transiently (broker restart, leader election) before the consumer fails. */
export const TRANSIENT_FETCH_BUDGET_MS = 120_000;

const TRANSIENT_FETCH_ERRORS = [
  'FETCH_SESSION_ID_NOT_FOUND',
  'INVALID_FETCH_SESSION_EPOCH',
  'NOT_LEADER_OR_FOLLOWER',
  'LEADER_NOT_AVAILABLE',
  'FENCED_LEADER_EPOCH',
  'UNKNOWN_LEADER_EPOCH',
  'REPLICA_NOT_AVAILABLE',
  'KAFKA_STORAGE_ERROR',
  'REQUEST_TIMED_OUT',
  'NETWORK_EXCEPTION',
  'COORDINATOR_LOAD_IN_PROGRESS',
];

/** Errors a fetch recovers from by fetching again: session loss, leadership changes, connection loss. */
export function isTransientFetchError(error: unknown): boolean {
  const names = kafkaErrorNames(error);
  if (TRANSIENT_FETCH_ERRORS.some((id) => names.includes(id))) return true;
  const codes = new Set<string>();
  const visit = (e: unknown, depth: number): void => {
    if (!(e instanceof Error) || depth > 6) return;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') codes.add(code);
    const nested = (e as { errors?: unknown }).errors;
    if (Array.isArray(nested)) for (const n of nested) visit(n, depth + 1);
    visit(e.cause, depth + 1);
  };
  visit(error, 0);
  return ['PLT_KFK_NETWORK', 'PLT_KFK_TIMEOUT', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE'].some((c) =>
    codes.has(c),
  );
}
