import type { ClusterMetadata, GroupPartitionsAssigner } from '@platformatic/kafka';
import type { GroupAssignor } from '../types.ts';

/**
 * Adapts our {@link GroupAssignor} to the library's `partitionAssigner` hook: the library hands the leader
 * each member's decoded subscription (its userData as `metadata`) and the cluster metadata of the subscribed
 * topics, and expects per member a map topic → partitions.
 */
export function toLibraryAssigner(assignor: GroupAssignor): GroupPartitionsAssigner {
  return (_current, members, topics, metadata: ClusterMetadata) => {
    const counts = new Map<string, number>();
    for (const t of topics) {
      const count = metadata.topics.get(t)?.partitionsCount;
      if (count !== undefined) counts.set(t, count);
    }
    const input = [...members.values()].map((m) => ({
      memberId: m.memberId,
      userData: m.metadata === undefined || m.metadata === null ? null : Buffer.from(m.metadata as Buffer),
    }));
    const result = assignor(input, counts);
    return [...members.keys()].map((memberId) => {
      const assignments = new Map<string, { topic: string; partitions: number[] }>();
      for (const { topic, partition } of result.get(memberId) ?? []) {
        let a = assignments.get(topic);
        if (!a) assignments.set(topic, (a = { topic, partitions: [] }));
        a.partitions.push(partition);
      }
      return { memberId, assignments };
    });
  };
}
