import type { GroupAssignor } from '../../kafka/index.ts';
import { decodeMemberInfo } from './member-info.ts';
import { assignTasks, partitionsOfTask, tasksOf, type AssignorSubtopology } from './task-assignor.ts';

/**
 * The group assignor the stream thread hands the consumer: decodes each member's userData (owned tasks,
 * local state lags), assigns whole tasks with {@link assignTasks}, and expands them to topic partitions.
 */
export function streamsAssignor(subtopologies: readonly AssignorSubtopology[]): GroupAssignor {
  return (members, counts) => {
    const byMember = assignTasks(
      tasksOf(subtopologies, counts),
      members.map((m) => {
        const info = decodeMemberInfo(m.userData);
        return { memberId: m.memberId, ownedTasks: info.owned, taskLags: new Map(Object.entries(info.lags)) };
      }),
    );
    return new Map(
      [...byMember].map(([m, tasks]) => [
        m,
        tasks.flatMap((t) => partitionsOfTask(t, subtopologies, counts)),
      ]),
    );
  };
}
