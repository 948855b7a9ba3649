import { Admin, ConfigResourceTypes, ListOffsetTimestamps } from '@platformatic/kafka';
import { MillraceError } from '../../errors/index.ts';
import type {
  GroupDescription,
  GroupListing,
  IsolationLevel,
  KafkaAdmin,
  KafkaClientOptions,
  ListedOffset,
  NewTopic,
  OffsetSpec,
  TopicDescription,
  TopicPartition,
  TopicPartitionOffset,
} from '../types.ts';
import { baseOptions, isolationLevelValue } from './base-options.ts';
import { CloseGuard, hasKafkaError, wrapKafka } from './errors.ts';

/** {@link KafkaAdmin} over the library's Admin client. */
export class KafkaAdminImpl implements KafkaAdmin {
  readonly #admin: Admin;
  readonly #guard = new CloseGuard('Kafka admin');

  constructor(options: KafkaClientOptions) {
    this.#admin = new Admin(baseOptions(options, 'admin'));
  }

  get closed(): boolean {
    return this.#guard.closed;
  }

  async close(): Promise<void> {
    if (!this.#guard.markClosed()) return;
    await this.#admin.close();
  }

  async createTopics(topics: readonly NewTopic[], options: { ignoreIfExists?: boolean } = {}): Promise<void> {
    this.#guard.check();
    // One request per topic: the library applies `configs` to every topic of a request.
    await Promise.all(
      topics.map((topic) =>
        wrapKafka(
          'MR_KAFKA_TOPIC_CREATE',
          `create topic "${topic.name}"`,
          'check the broker logs, ACLs and the replication factor',
          async () => {
            try {
              await this.#admin.createTopics({
                topics: [topic.name],
                partitions: topic.partitions,
                replicas: topic.replicationFactor,
                configs: Object.entries(topic.configs ?? {}).map(([name, value]) => ({ name, value })),
              });
            } catch (error) {
              if (options.ignoreIfExists === true && hasKafkaError(error, 'TOPIC_ALREADY_EXISTS')) return;
              throw error;
            }
          },
        ),
      ),
    );
  }

  async deleteTopics(names: readonly string[], options: { ignoreIfMissing?: boolean } = {}): Promise<void> {
    this.#guard.check();
    await Promise.all(
      names.map((name) =>
        wrapKafka(
          'MR_KAFKA_TOPIC_DELETE',
          `delete topic "${name}"`,
          'check that the broker allows topic deletion and the ACLs',
          async () => {
            try {
              await this.#admin.deleteTopics({ topics: [name] });
            } catch (error) {
              if (options.ignoreIfMissing === true && hasKafkaError(error, 'UNKNOWN_TOPIC_OR_PARTITION'))
                return;
              throw error;
            }
          },
        ),
      ),
    );
  }

  async listTopics(): Promise<string[]> {
    this.#guard.check();
    return wrapKafka('MR_KAFKA_TOPIC_DESCRIBE', 'list topics', 'check that the broker is reachable', () =>
      this.#admin.listTopics({ includeInternals: false }),
    );
  }

  async describeTopic(name: string): Promise<TopicDescription> {
    this.#guard.check();
    const metadata = await wrapKafka(
      'MR_KAFKA_TOPIC_DESCRIBE',
      `describe topic "${name}"`,
      'check that the topic exists (auto creation is off: create it first)',
      () => this.#admin.metadata({ topics: [name], forceUpdate: true, autocreateTopics: false }),
    );
    const topic = metadata.topics.get(name);
    if (topic === undefined) {
      throw new MillraceError('MR_KAFKA_TOPIC_DESCRIBE', `topic "${name}" does not exist: create it first`);
    }
    return { name, id: topic.id, partitions: topic.partitionsCount };
  }

  async describeTopicConfigs(name: string): Promise<Record<string, string>> {
    this.#guard.check();
    const results = await wrapKafka(
      'MR_KAFKA_TOPIC_DESCRIBE',
      `read the configs of topic "${name}"`,
      'check that the topic exists and the DescribeConfigs ACL',
      () =>
        this.#admin.describeConfigs({
          resources: [{ resourceType: ConfigResourceTypes.TOPIC, resourceName: name }],
        }),
    );
    const configs: Record<string, string> = {};
    for (const result of results) {
      for (const config of result.configs) {
        if (config.value !== null && config.value !== undefined) configs[config.name] = config.value;
      }
    }
    return configs;
  }

  async listOffsets(
    topic: string,
    spec: OffsetSpec,
    options: { partitions?: readonly number[]; isolationLevel?: IsolationLevel } = {},
  ): Promise<ListedOffset[]> {
    this.#guard.check();
    const partitions = options.partitions ?? range((await this.describeTopic(topic)).partitions);
    const timestamp =
      spec === 'earliest'
        ? ListOffsetTimestamps.EARLIEST
        : spec === 'latest'
          ? ListOffsetTimestamps.LATEST
          : spec.timestamp;
    const listed = await wrapKafka(
      'MR_KAFKA_LIST_OFFSETS',
      `list offsets of "${topic}"`,
      'check that the topic and partitions exist',
      () =>
        this.#admin.listOffsets({
          topics: [
            { name: topic, partitions: partitions.map((partitionIndex) => ({ partitionIndex, timestamp })) },
          ],
          isolationLevel: isolationLevelValue(options.isolationLevel),
        }),
    );
    const result: ListedOffset[] = [];
    for (const t of listed) {
      for (const p of t.partitions) {
        result.push({ topic: t.name, partition: p.partitionIndex, offset: p.offset, timestamp: p.timestamp });
      }
    }
    return result.sort((a, b) => a.partition - b.partition);
  }

  async listGroupOffsets(groupId: string, topics?: readonly string[]): Promise<TopicPartitionOffset[]> {
    this.#guard.check();
    const groups = await wrapKafka(
      'MR_KAFKA_GROUP_ADMIN',
      `list the offsets of group "${groupId}"`,
      'check the broker and the group ACLs',
      () => this.#admin.listConsumerGroupOffsets({ groups: [groupId] }),
    );
    const wanted = topics === undefined ? undefined : new Set(topics);
    const result: TopicPartitionOffset[] = [];
    for (const group of groups) {
      for (const topic of group.topics) {
        if (wanted !== undefined && !wanted.has(topic.name)) continue;
        for (const p of topic.partitions) {
          if (p.committedOffset >= 0n)
            result.push({ topic: topic.name, partition: p.partitionIndex, offset: p.committedOffset });
        }
      }
    }
    return result.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
  }

  async alterGroupOffsets(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void> {
    this.#guard.check();
    const byTopic = new Map<string, { partition: number; offset: bigint }[]>();
    for (const { topic, partition, offset } of offsets) {
      const list = byTopic.get(topic) ?? [];
      list.push({ partition, offset });
      byTopic.set(topic, list);
    }
    await wrapKafka(
      'MR_KAFKA_GROUP_ADMIN',
      `set the offsets of group "${groupId}"`,
      'stop every member of the group first (the broker refuses while it has members)',
      () =>
        this.#admin.alterConsumerGroupOffsets({
          groupId,
          topics: [...byTopic].map(([name, partitionOffsets]) => ({ name, partitionOffsets })),
        }),
    );
  }

  async listGroups(): Promise<GroupListing[]> {
    this.#guard.check();
    const groups = await wrapKafka(
      'MR_KAFKA_GROUP_ADMIN',
      'list consumer groups',
      'check the broker and the group ACLs',
      () => this.#admin.listGroups(),
    );
    return [...groups.values()].map((g) => ({
      groupId: g.id,
      state: String(g.state),
      protocolType: g.protocolType,
    }));
  }

  async describeGroup(groupId: string): Promise<GroupDescription> {
    this.#guard.check();
    const groups = await wrapKafka(
      'MR_KAFKA_GROUP_ADMIN',
      `describe group "${groupId}"`,
      'check the broker and the group ACLs',
      () => this.#admin.describeGroups({ groups: [groupId] }),
    );
    const group = groups.get(groupId);
    if (group === undefined) return { groupId, state: 'Dead', protocolType: '', protocol: '', members: [] };
    return {
      groupId,
      state: String(group.state),
      protocolType: group.protocolType,
      protocol: group.protocol,
      members: [...group.members.values()].map((m) => ({
        memberId: m.id,
        groupInstanceId: m.groupInstanceId ?? null,
        clientId: m.clientId,
        clientHost: m.clientHost,
        userData: m.metadata?.metadata === undefined ? null : toBuffer(m.metadata.metadata),
        assignment: [...(m.assignments?.values() ?? [])].flatMap((a): TopicPartition[] =>
          a.partitions.map((partition) => ({ topic: a.topic, partition })),
        ),
      })),
    };
  }

  async deleteRecords(
    topic: string,
    offsets: readonly { partition: number; offset: bigint }[],
  ): Promise<TopicPartitionOffset[]> {
    this.#guard.check();
    if (offsets.length === 0) return [];
    const deleted = await wrapKafka(
      'MR_KAFKA_DELETE_RECORDS',
      `delete records of "${topic}" before ${offsets.map((o) => `${o.partition}@${o.offset}`).join(', ')}`,
      'check that the topic and partitions exist, the offsets are not beyond their ends, and the DELETE ACL',
      () =>
        this.#admin.deleteRecords({
          topics: [
            { name: topic, partitions: offsets.map((o) => ({ partition: o.partition, offset: o.offset })) },
          ],
        }),
    );
    const low = new Map<number, bigint>();
    for (const t of deleted) {
      if (t.name !== topic) continue;
      for (const p of t.partitions) low.set(p.partition, p.lowWatermark);
    }
    return offsets.map((o) => ({ topic, partition: o.partition, offset: low.get(o.partition) ?? -1n }));
  }

  async deleteGroups(groupIds: readonly string[]): Promise<void> {
    this.#guard.check();
    await wrapKafka(
      'MR_KAFKA_GROUP_ADMIN',
      `delete groups ${groupIds.join(', ')}`,
      'stop every member of the groups first',
      () => this.#admin.deleteGroups({ groups: [...groupIds] }),
    );
  }
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function toBuffer(data: Buffer | string | null): Buffer | null {
  if (data === null) return null;
  return typeof data === 'string' ? Buffer.from(data) : data;
}
