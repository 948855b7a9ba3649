/**
 * The Streams-style partition assignor, as a pure function. Kafka's consumer assignors spread partitions of
 * each topic independently, which would split co-partitioned inputs (partition 3 of `orders` and partition 3
 * of `payments` must meet in task 0_3). This one assigns TASKS: task `<subtopology>_<p>` owns partition p
 * of every source topic of its sub-topology, and the whole task goes to one member.
 *
 * Balance: every member gets ⌊T/M⌋ or ⌈T/M⌉ tasks. Stickiness: a member keeps the tasks it owned (its state
 * is warm there) as long as that keeps the balance, so a member joining or leaving moves only the tasks that
 * must move (no rebalance storms). Then the member whose local state is most caught up for a task (lowest
 * reported lag, e.g. a standby) is preferred, then the least loaded member.
 */

/** One sub-topology as the assignor sees it. */
export interface AssignorSubtopology {
  id: number;
  sourceTopics: readonly string[];
}

/** One group member. */
export interface AssignorMember {
  memberId: string;
  /** Tasks it owned in the previous generation (from its owned partitions). */
  ownedTasks: readonly string[];
  /** Per task id, how far its local copy of the task's state is behind (lower is better); absent: no copy. */
  taskLags?: ReadonlyMap<string, number>;
}

/** A topic partition. */
export interface AssignedPartition {
  topic: string;
  partition: number;
}

/** The task ids of every sub-topology, given the topics' partition counts (missing topics are skipped). */
export function tasksOf(
  subtopologies: readonly AssignorSubtopology[],
  partitionCounts: ReadonlyMap<string, number>,
): string[] {
  const tasks: string[] = [];
  for (const s of subtopologies) {
    const n = Math.max(0, ...s.sourceTopics.map((t) => partitionCounts.get(t) ?? 0));
    for (let p = 0; p < n; p++) tasks.push(`${s.id}_${p}`);
  }
  return tasks;
}

/** The partitions of a task. */
export function partitionsOfTask(
  taskId: string,
  subtopologies: readonly AssignorSubtopology[],
  partitionCounts: ReadonlyMap<string, number>,
): AssignedPartition[] {
  const [sub, p] = taskId.split('_').map(Number) as [number, number];
  const s = subtopologies.find((x) => x.id === sub);
  if (!s) return [];
  return s.sourceTopics
    .filter((t) => (partitionCounts.get(t) ?? 0) > p)
    .map((topic) => ({ topic, partition: p }));
}

/** The task a topic partition belongs to. */
export function taskOfPartition(
  topic: string,
  partition: number,
  subtopologies: readonly AssignorSubtopology[],
): string | undefined {
  const s = subtopologies.find((x) => x.sourceTopics.includes(topic));
  return s ? `${s.id}_${partition}` : undefined;
}

/** Assigns every task to exactly one member. Returns memberId → task ids (sorted). Deterministic. */
export function assignTasks(
  tasks: readonly string[],
  members: readonly AssignorMember[],
): Map<string, string[]> {
  const sorted = [...members].sort((a, b) =>
    a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0,
  );
  const result = new Map<string, string[]>(sorted.map((m) => [m.memberId, []]));
  if (sorted.length === 0) return result;
  const max = Math.ceil(tasks.length / sorted.length);
  const minCount = Math.floor(tasks.length / sorted.length);
  // How many members may hold `max` tasks (the rest hold `minCount`).
  let roomForMax = tasks.length - minCount * sorted.length;
  const capacity = (memberId: string) => {
    const n = result.get(memberId)!.length;
    return n < minCount || (n < max && roomForMax > 0);
  };
  const take = (memberId: string, task: string) => {
    const list = result.get(memberId)!;
    list.push(task);
    if (list.length === max && max > minCount) roomForMax--;
  };

  const unassigned = new Set(tasks);
  // 1. Sticky: previous owners keep their tasks while capacity allows.
  for (const m of sorted) {
    for (const t of [...m.ownedTasks].sort()) {
      if (unassigned.has(t) && capacity(m.memberId)) {
        take(m.memberId, t);
        unassigned.delete(t);
      }
    }
  }
  // 2. The rest, tasks with a local copy somewhere first (so their copy's member still has room for them):
  //    to the most caught-up copy, then the least loaded member, then member id.
  const bestLag = (t: string) => Math.min(...sorted.map((m) => m.taskLags?.get(t) ?? Infinity));
  const order = [...unassigned].sort((a, b) => {
    const la = bestLag(a);
    const lb = bestLag(b);
    return la !== lb ? (la < lb ? -1 : 1) : compareTaskIds(a, b);
  });
  for (const t of order) {
    let best: AssignorMember | undefined;
    for (const m of sorted) {
      if (!capacity(m.memberId)) continue;
      if (!best || better(m, best, t, result)) best = m;
    }
    take(best!.memberId, t);
  }
  for (const list of result.values()) list.sort(compareTaskIds);
  return result;
}

function better(a: AssignorMember, b: AssignorMember, task: string, result: Map<string, string[]>): boolean {
  const lagA = a.taskLags?.get(task) ?? Infinity;
  const lagB = b.taskLags?.get(task) ?? Infinity;
  if (lagA !== lagB) return lagA < lagB;
  return result.get(a.memberId)!.length < result.get(b.memberId)!.length;
}

/** Orders task ids `<sub>_<p>` numerically. */
export function compareTaskIds(a: string, b: string): number {
  const [sa, pa] = a.split('_').map(Number) as [number, number];
  const [sb, pb] = b.split('_').map(Number) as [number, number];
  return sa - sb || pa - pb;
}
