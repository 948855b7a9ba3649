/**
 * The Kafka adapter's public interface. The rest of Millrace (stream engine, CLI, reset tool) uses only these
 * types and the factory in `./index.ts`; nothing outside `src/kafka/` sees the Kafka client library.
 *
 * Conventions: keys and values are `Buffer | null` (null value = tombstone), offsets and timestamps are `bigint`
 * (timestamps in epoch milliseconds), and a committed offset is always the NEXT offset to read (Java semantics).
 */
import type { KafkaAdmin } from './admin-types.ts';

/** One record header. Kafka allows repeated keys, so headers are an ordered list, not a map. */
export type RecordHeader = readonly [key: string, value: Buffer];

/** A topic and a partition. */
export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** A topic, a partition and an offset (for commits: the next offset to read). */
export interface TopicPartitionOffset extends TopicPartition {
  readonly offset: bigint;
}

/**
 * A group's committed offset of one partition (Java's `OffsetAndMetadata`) with the metadata string the
 * committer stored beside it, which Kafka keeps as is (up to the broker's `offset.metadata.max.bytes`,
 * 4096 by default). Kafka Streams stores its partition time there, and so does Millrace. Without
 * `metadata`, a commit stores none (null), replacing what was there.
 */
export interface OffsetAndMetadata extends TopicPartitionOffset {
  readonly metadata?: string;
}

/** A record to produce. Without `partition`, keyed records go where Java's murmur2 partitioner puts them. */
export interface ProducerRecord {
  readonly topic: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers?: readonly RecordHeader[];
  /** Create time in epoch ms; defaults to now. */
  readonly timestamp?: bigint;
  /** Explicit partition; overrides the partitioner. */
  readonly partition?: number;
}

/** Where one produced record landed. */
export type RecordMetadata = TopicPartitionOffset;

/** A record read from Kafka. */
export interface ConsumedRecord extends TopicPartitionOffset {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: readonly RecordHeader[];
  readonly timestamp: bigint;
  readonly timestampType: 'create-time' | 'log-append-time';
  /** The partition leader epoch of the batch (-1 when unknown). */
  readonly leaderEpoch: number;
}

/**
 * One fetched partition's records as a restore reads them: parallel arrays instead of an object per record
 * (record i has offset `baseOffset + offsetDeltas[i]`, key `keys[i]`, value `values[i]`, null = tombstone).
 * Keys and values are views of the fetch response. Records with a null key are left out; headers and
 * timestamps are not decoded.
 */
export interface ChangelogRecords extends TopicPartition {
  /** The fetch offset: every offset delta is relative to it (and >= 0). */
  readonly baseOffset: bigint;
  readonly offsetDeltas: number[];
  readonly keys: Uint8Array[];
  readonly values: (Uint8Array | null)[];
}

/** `read_committed` hides records of aborted and still-open transactions; `read_uncommitted` shows them all. */
export type IsolationLevel = 'read_committed' | 'read_uncommitted';

/** Where to start when a group has no committed offset (or it is out of range). */
export type AutoOffsetReset = 'earliest' | 'latest' | 'none';

/** Options of {@link createKafkaClient}. */
export interface KafkaClientOptions {
  /** `host:port` of at least one broker (Kafka's `bootstrap.servers`). */
  readonly bootstrapServers: readonly string[];
  /** Prefix of every connection's client id (Kafka's `client.id`). */
  readonly clientId: string;
  /** Request timeout in ms (default 30 000). */
  readonly requestTimeoutMs?: number;
  /** Retries of retriable errors per request (default 3). */
  readonly retries?: number;
}

/**
 * The entry point: makes admin, producer and consumer instances that share the connection settings.
 *
 * @example
 * ```ts
 * const kafka = createKafkaClient({ bootstrapServers: ['127.0.0.1:9092'], clientId: 'orders-app' });
 * const admin = kafka.admin();
 * await admin.createTopics([{ name: 'orders', partitions: 3, replicationFactor: 1 }], { ignoreIfExists: true });
 * await kafka.close();
 * ```
 */
export interface KafkaClient {
  admin(): KafkaAdmin;
  producer(options?: ProducerOptions): KafkaProducer;
  transactionalProducer(options: TransactionalProducerOptions): TransactionalProducer;
  consumer(options: ConsumerOptions): KafkaConsumer;
  /** A group-less reader of explicit partitions, e.g. to restore a state store from its changelog. */
  partitionReader(options?: PartitionReaderOptions): PartitionReader;
  /** Closes every instance this client made. Idempotent. */
  close(): Promise<void>;
}

/** Anything with a lifecycle. `close()` is idempotent; any other call after it throws `MR_KAFKA_CLOSED`. */
export interface Closeable {
  close(): Promise<void>;
  readonly closed: boolean;
}

// ---------------------------------------------------------------------------------------------- admin

export type {
  NewTopic,
  OffsetSpec,
  ListedOffset,
  TopicDescription,
  GroupListing,
  GroupMemberDescription,
  GroupDescription,
  KafkaAdmin,
} from './admin-types.ts';

// ------------------------------------------------------------------------------------------- producer

/** Options of a non-transactional producer. */
export interface ProducerOptions {
  /** Idempotent producer (`enable.idempotence`, which implies `acks=all`). Default true. */
  readonly idempotent?: boolean;
  /** Compression of record batches. Default none. */
  readonly compression?: 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';
}

/**
 * Sends batches of records. The returned metadata is in the order of the input records.
 *
 * @example
 * ```ts
 * const producer = kafka.producer();
 * const [meta] = await producer.send([{ topic: 'orders', key: Buffer.from('o-1'), value: Buffer.from('{}') }]);
 * ```
 */
export interface KafkaProducer extends Closeable {
  send(records: readonly ProducerRecord[]): Promise<RecordMetadata[]>;
}

/** Options of a transactional producer. */
export interface TransactionalProducerOptions extends Omit<ProducerOptions, 'idempotent'> {
  /** Kafka's `transactional.id`; a new producer with the same id fences the old one. */
  readonly transactionalId: string;
  /**
   * Kafka's `transaction.timeout.ms` (default 10 000, Kafka Streams' value under exactly-once): the
   * coordinator aborts a transaction left open longer, e.g. by a crashed producer whose transactional id
   * never comes back. It must not exceed the broker's `transaction.max.timeout.ms` (15 min by default).
   */
  readonly transactionTimeoutMs?: number;
}

/** What a transaction needs to know of the consumer whose offsets it commits (KIP-447). */
export interface ConsumerGroupMetadata {
  readonly groupId: string;
  readonly generationId: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
}

/**
 * A transactional producer (exactly-once): records and consumer offsets commit or abort together.
 *
 * @example
 * ```ts
 * const producer = kafka.transactionalProducer({ transactionalId: 'orders-app-0' });
 * await producer.beginTransaction();
 * await producer.send(outputs);
 * await producer.sendOffsetsToTransaction([{ topic: 'in', partition: 0, offset: 42n }], consumer.groupMetadata());
 * await producer.commitTransaction();
 * ```
 */
export interface TransactionalProducer extends KafkaProducer {
  readonly transactionalId: string;
  /** True between beginTransaction() and commit/abort. */
  readonly inTransaction: boolean;
  beginTransaction(): Promise<void>;
  /**
   * Tells the transaction coordinator that the open transaction will commit offsets of `groupId`
   * (AddOffsetsToTxn), ahead of {@link sendOffsetsToTransaction}, which then only sends the offsets to the
   * group coordinator (TxnOffsetCommit). Optional: sendOffsetsToTransaction does it when it was not done.
   * Must not run concurrently with a send that adds partitions (the coordinator answers one request of a
   * transaction at a time: CONCURRENT_TRANSACTIONS).
   */
  addOffsetsGroupToTransaction(groupId: string): Promise<void>;
  /** Adds the group's next-offsets to the open transaction; they become committed when it commits. */
  sendOffsetsToTransaction(
    offsets: readonly OffsetAndMetadata[],
    group: ConsumerGroupMetadata,
  ): Promise<void>;
  commitTransaction(): Promise<void>;
  abortTransaction(): Promise<void>;
}

// ------------------------------------------------------------------------------------------- consumer

/**
 * Called from inside `poll()`, like Java's ConsumerRebalanceListener. With the eager protocol, every owned
 * partition is revoked before the member rejoins, so `onPartitionsRevoked` can still flush and commit.
 */
export interface RebalanceListener {
  onPartitionsRevoked?(partitions: readonly TopicPartition[]): void | Promise<void>;
  /**
   * `committed`: the group's committed offsets of `partitions` with their metadata, as the consumer read
   * them to position the partitions (one OffsetFetch per assignment, require_stable under read_committed);
   * partitions without a commit are left out.
   */
  onPartitionsAssigned?(
    partitions: readonly TopicPartition[],
    committed: readonly OffsetAndMetadata[],
  ): void | Promise<void>;
  /** The member was dropped from the group (e.g. session timeout); the partitions may already be elsewhere. */
  onPartitionsLost?(partitions: readonly TopicPartition[]): void | Promise<void>;
}

/** One member as the group leader's assignor sees it. */
export interface GroupAssignmentMember {
  readonly memberId: string;
  /** The member's subscription userData (see {@link ConsumerOptions.userData}). */
  readonly userData: Buffer | null;
}

/**
 * A custom partition assignor, run by the group leader during a rebalance (synchronously): given every
 * member and the partition count of every subscribed topic, returns each member's partitions. Millrace's
 * runtime uses it to keep co-partitioned partitions together (Kafka Streams' StreamsPartitionAssignor).
 */
export type GroupAssignor = (
  members: readonly GroupAssignmentMember[],
  partitionCounts: ReadonlyMap<string, number>,
) => ReadonlyMap<string, readonly TopicPartition[]>;

/** Options of a group consumer. Offsets are never auto-committed. */
export interface ConsumerOptions {
  readonly groupId: string;
  readonly isolationLevel?: IsolationLevel;
  /** Default `earliest`. */
  readonly autoOffsetReset?: AutoOffsetReset;
  readonly sessionTimeoutMs?: number;
  readonly rebalanceTimeoutMs?: number;
  readonly heartbeatIntervalMs?: number;
  /** Upper bound of bytes per fetch response (default 50 MiB) and per partition (default 1 MiB). */
  readonly maxBytes?: number;
  readonly maxBytesPerPartition?: number;
  readonly listener?: RebalanceListener;
  /**
   * Bytes this member advertises in its group subscription (e.g. `application.server`); computed before every
   * join. Other processes read it with {@link KafkaAdmin.describeGroup}.
   */
  readonly userData?: Buffer | (() => Buffer);
  /** Replaces the default (round-robin) assignor when this member leads the group. */
  readonly assignor?: GroupAssignor;
  /**
   * Static membership (Kafka's `group.instance.id`, KIP-345): a member that restarts with the same id takes
   * its own place back at once (even after a crash, without waiting for its session to expire), and gets
   * its previous assignment without a rebalance of the others. Unique per live member of the group.
   */
  readonly groupInstanceId?: string;
  /**
   * Whether close() leaves the group (default true): the others take over at once. False keeps a static
   * member's place for `sessionTimeoutMs`, so a restart within it causes no rebalance at all (Kafka's
   * default for static members). A dynamic member always leaves.
   */
  readonly leaveGroupOnClose?: boolean;
}

/**
 * A group member with a pull API for a stream-processing loop.
 *
 * @example
 * ```ts
 * const consumer = kafka.consumer({ groupId: 'orders-app', isolationLevel: 'read_committed', listener });
 * await consumer.subscribe(['orders']);
 * for (;;) {
 *   const records = await consumer.poll(500);
 *   // ... process ...
 *   await consumer.commit([{ topic: 'orders', partition: 0, offset: last.offset + 1n }]);
 * }
 * ```
 */
export interface KafkaConsumer extends Closeable {
  readonly groupId: string;
  /** Joins the group with these topics (once; call again to change the subscription). */
  subscribe(topics: readonly string[]): Promise<void>;
  /** Runs pending rebalance callbacks, then returns the records fetched within `maxWaitMs` (maybe none). */
  poll(maxWaitMs: number): Promise<ConsumedRecord[]>;
  /** The partitions currently assigned to this member. */
  assignment(): TopicPartition[];
  /** Commits explicit next-offsets (and their metadata) for the group (synchronously acknowledged). */
  commit(offsets: readonly OffsetAndMetadata[]): Promise<void>;
  /**
   * The group's committed next-offsets of `partitions` with their metadata (those without a commit are
   * left out; `metadata` is absent where none or an empty one was stored). Under
   * read_committed it waits while a transaction that commits offsets of them is being completed
   * (require_stable, KIP-447), so the answer is never older than the last committed transaction.
   */
  committed(partitions: readonly TopicPartition[]): Promise<OffsetAndMetadata[]>;
  /** The next offset `poll` will return for an assigned partition (undefined until known). */
  position(tp: TopicPartition): bigint | undefined;
  /** Moves the position of an assigned partition. */
  seek(tp: TopicPartition, offset: bigint): void;
  pause(partitions: readonly TopicPartition[]): void;
  resume(partitions: readonly TopicPartition[]): void;
  paused(): TopicPartition[];
  /** For {@link TransactionalProducer.sendOffsetsToTransaction}. */
  groupMetadata(): ConsumerGroupMetadata;
}

/** Options of a {@link PartitionReader}. */
export interface PartitionReaderOptions {
  readonly isolationLevel?: IsolationLevel;
  readonly maxBytes?: number;
  readonly maxBytesPerPartition?: number;
}

/**
 * Reads explicit partitions from explicit offsets, without a group (Java's `assign()` mode).
 *
 * @example
 * ```ts
 * const reader = kafka.partitionReader({ isolationLevel: 'read_committed' });
 * for await (const batch of reader.readToEnd({ topic: 'app-store-changelog', partition: 3, offset: checkpoint })) {
 *   await store.restore(batch);
 * }
 * ```
 */
export interface PartitionReader extends Closeable {
  /** Adds (or moves) partitions to read from the given offsets. */
  assign(partitions: readonly TopicPartitionOffset[]): void;
  unassign(partitions: readonly TopicPartition[]): void;
  assignment(): TopicPartition[];
  position(tp: TopicPartition): bigint | undefined;
  poll(maxWaitMs: number): Promise<ConsumedRecord[]>;
  /**
   * End offsets (next offset to be written; the last stable offset under read_committed). With
   * `highWatermark`, the end of the log whatever the isolation: a read_committed reader gets there once every
   * transaction before it has completed (committed or aborted).
   */
  endOffsets(
    partitions: readonly TopicPartition[],
    options?: { highWatermark?: boolean },
  ): Promise<TopicPartitionOffset[]>;
  /**
   * Reads one partition from `offset` up to its end offset as of the call, in batches. Does not disturb
   * the other assigned partitions.
   */
  readToEnd(from: TopicPartitionOffset): AsyncIterable<ConsumedRecord[]>;
  /**
   * Like {@link poll}, for changelog restore: each fetched partition's records with a key, decoded without
   * per-record objects (headers and timestamps skipped). Advances positions as `poll` does. Optional: a
   * reader without it is polled with `poll`.
   */
  pollChangelog?(maxWaitMs: number): Promise<ChangelogRecords[]>;
}
