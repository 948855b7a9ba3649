/**
 * The admin part of the Kafka adapter's interface (re-exported by `./types.ts`, whose conventions apply:
 * offsets and timestamps are bigint, a committed offset is the next offset to read).
 */
import type { Closeable, IsolationLevel, TopicPartition, TopicPartitionOffset } from './types.ts';

/** A topic to create. */
export interface NewTopic {
  readonly name: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  /** Topic configs, e.g. `{ 'cleanup.policy': 'compact', 'min.compaction.lag.ms': '60000' }`. */
  readonly configs?: Readonly<Record<string, string>>;
}

/** Offsets to look up: the first, the end (next offset to be written), or the first at or after a time. */
export type OffsetSpec = 'earliest' | 'latest' | { readonly timestamp: bigint };

/** One partition's answer to {@link KafkaAdmin.listOffsets}. `offset` is -1n when no record is at/after T. */
export interface ListedOffset extends TopicPartitionOffset {
  /** The timestamp of the found record for a timestamp query, otherwise -1n. */
  readonly timestamp: bigint;
}

/** A topic's shape. */
export interface TopicDescription {
  readonly name: string;
  readonly id: string;
  readonly partitions: number;
}

/** A consumer group in a listing. */
export interface GroupListing {
  readonly groupId: string;
  /** Broker state, e.g. `Empty`, `Stable`, `PreparingRebalance`, `Dead`. */
  readonly state: string;
  readonly protocolType: string;
}

/** One member of a consumer group. */
export interface GroupMemberDescription {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  /** The userData the member put in its subscription (see {@link ConsumerOptions.userData}). */
  readonly userData: Buffer | null;
  readonly assignment: readonly TopicPartition[];
}

/** A consumer group with its members. */
export interface GroupDescription extends GroupListing {
  /** The chosen assignor, e.g. `roundrobin`. */
  readonly protocol: string;
  readonly members: readonly GroupMemberDescription[];
}

/**
 * Topic, offset and consumer-group administration.
 *
 * @example
 * ```ts
 * const group = await admin.describeGroup('orders-app');
 * if (group.members.length > 0) throw new Error('stop every instance before resetting');
 * await admin.alterGroupOffsets('orders-app', [{ topic: 'orders', partition: 0, offset: 0n }]);
 * ```
 */
export interface KafkaAdmin extends Closeable {
  createTopics(topics: readonly NewTopic[], options?: { readonly ignoreIfExists?: boolean }): Promise<void>;
  deleteTopics(names: readonly string[], options?: { readonly ignoreIfMissing?: boolean }): Promise<void>;
  /** Names of the non-internal topics. */
  listTopics(): Promise<string[]>;
  describeTopic(name: string): Promise<TopicDescription>;
  /** The effective config of a topic (defaults included), name → value. */
  describeTopicConfigs(name: string): Promise<Record<string, string>>;
  /** Offsets of every partition of `topic` (or of `partitions`), in partition order. */
  listOffsets(
    topic: string,
    spec: OffsetSpec,
    options?: { readonly partitions?: readonly number[]; readonly isolationLevel?: IsolationLevel },
  ): Promise<ListedOffset[]>;
  /** The group's committed offsets (of `topics` only, when given). Partitions without a commit are left out. */
  listGroupOffsets(groupId: string, topics?: readonly string[]): Promise<TopicPartitionOffset[]>;
  /** Sets the group's committed offsets. The broker refuses while the group has members. */
  alterGroupOffsets(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void>;
  listGroups(): Promise<GroupListing[]>;
  /** State and members; a group that does not exist is described with state `Dead` and no members. */
  describeGroup(groupId: string): Promise<GroupDescription>;
  deleteGroups(groupIds: readonly string[]): Promise<void>;
  /**
   * Deletes the records of `topic` before `offset` in each given partition (Kafka's DeleteRecords, as
   * Kafka Streams purges repartition topics up to the committed offsets): the partition's log start offset
   * becomes `offset`. Returns the new log start offset (low watermark) of each partition, in the order
   * given. `offset` -1n means the partition's current end (high watermark). An offset beyond the end is
   * refused (`MR_KAFKA_DELETE_RECORDS`, OFFSET_OUT_OF_RANGE).
   *
   * @example
   * ```ts
   * await admin.deleteRecords('app-by-region-repartition', [{ partition: 0, offset: 1200n }]);
   * ```
   */
  deleteRecords(
    topic: string,
    offsets: readonly { readonly partition: number; readonly offset: bigint }[],
  ): Promise<TopicPartitionOffset[]>;
}
