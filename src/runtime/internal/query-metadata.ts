import type { KafkaAdmin, TopicPartition } from '../../kafka/index.ts';
import { partitionFor } from '../../kafka/index.ts';
import type { CompiledTopology } from '../../topology/topology.ts';
import { MillraceError } from '../../errors/index.ts';
import { decodeMemberInfo } from './member-info.ts';

/** One instance of the application, as the group sees it (Kafka Streams' StreamsMetadata). */
export interface InstanceMetadata {
  memberId: string;
  /** Its `application.server` (host:port), or null when it serves no queries. */
  server: string | null;
  /** The input partitions assigned to it. */
  partitions: TopicPartition[];
  /** The active tasks those partitions make (`<subtopology>_<partition>`). */
  tasks: string[];
}

/** Every member of the application's group with its advertised server and assignment. */
export async function describeInstances(
  admin: KafkaAdmin,
  applicationId: string,
  compiled: CompiledTopology,
): Promise<InstanceMetadata[]> {
  const group = await admin.describeGroup(applicationId);
  return group.members.map((m) => {
    const info = decodeMemberInfo(m.userData);
    const tasks = new Set<string>();
    for (const tp of m.assignment) {
      const sub = compiled.subtopologyOf(tp.topic);
      if (sub && sub.id >= 0) tasks.add(`${sub.id}_${tp.partition}`);
    }
    return { memberId: m.memberId, server: info.server, partitions: [...m.assignment], tasks: [...tasks] };
  });
}

/**
 * The task that holds `key` in `store`: the partition is Java's murmur2 of the serialized key modulo the
 * sub-topology's partition count, exactly where the (repartitioned) input put it.
 */
export function taskForKey(compiled: CompiledTopology, store: string, key: unknown): string {
  const sub = compiled.subtopologies.find((s) => s.stores.some((st) => st.name === store));
  const spec = sub?.stores.find((st) => st.name === store);
  if (!sub || !spec) {
    throw new MillraceError('MR_STORE_NOT_QUERYABLE', `no store named "${store}" in this topology`);
  }
  return `${sub.id}_${partitionFor(spec.keySerde.serialize(key), sub.partitions)}`;
}
