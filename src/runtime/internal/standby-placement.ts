import { compareTaskIds } from './task-assignor.ts';

/**
 * Where the standby replicas of each task go, as a pure function that every member computes on its own
 * from the same `describeGroup()` answer (the group protocol cannot carry a per-member standby list: the
 * library sends only partitions in the assignment). Same input, same output, on every member.
 *
 * Rules: `replicas` standbys per task (fewer when there are not enough other members), never on a member
 * that runs the task active, at most one per member, spread evenly (no member gets more than
 * ⌈total / members⌉ while another could take it), sticky (a member that already keeps a copy keeps it),
 * then the member whose copy is most caught up (lowest lag), then the least loaded, then member id.
 */

/** One member as the placement sees it. */
export interface StandbyMember {
  memberId: string;
  /** Tasks it runs active in this generation (from its assigned partitions). */
  active: readonly string[];
  /** Tasks it kept as standbys in the previous generation (from its userData). */
  standby: readonly string[];
  /** Per task, how far its local copy is behind (from its userData); absent: no copy. */
  lags: Readonly<Record<string, number>>;
}

/** memberId → its standby task ids (sorted). Every member appears, maybe with none. */
export function placeStandbys(
  tasks: readonly string[],
  members: readonly StandbyMember[],
  replicas: number,
): Map<string, string[]> {
  const sorted = [...members].sort((a, b) =>
    a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0,
  );
  const result = new Map<string, string[]>(sorted.map((m) => [m.memberId, []]));
  if (replicas <= 0 || sorted.length < 2) return result;
  const ordered = [...new Set(tasks)].sort(compareTaskIds);
  const wanted = new Map(
    ordered.map((t) => [t, Math.min(replicas, sorted.filter((m) => !m.active.includes(t)).length)]),
  );
  let total = 0;
  for (const n of wanted.values()) total += n;
  const cap = Math.ceil(total / sorted.length);
  const load = (m: StandbyMember) => result.get(m.memberId)!.length;

  for (const task of ordered) {
    const candidates = sorted.filter((m) => !m.active.includes(task));
    const rank = (m: StandbyMember): [number, number, number] => [
      m.standby.includes(task) ? 0 : 1,
      m.lags[task] ?? Number.POSITIVE_INFINITY,
      load(m),
    ];
    for (let i = 0; i < wanted.get(task)!; i++) {
      const free = candidates.filter((m) => !result.get(m.memberId)!.includes(task));
      // Members under the cap first; if all are at it (rounding), any free member.
      const pool = free.some((m) => load(m) < cap) ? free.filter((m) => load(m) < cap) : free;
      let best: StandbyMember | undefined;
      for (const m of pool) {
        if (best === undefined || lessThan(rank(m), rank(best))) best = m;
      }
      if (best === undefined) break;
      result.get(best.memberId)!.push(task);
    }
  }
  evenOut(sorted, result);
  for (const list of result.values()) list.sort(compareTaskIds);
  return result;
}

/**
 * The greedy pass can leave a member short when the last tasks are its own active ones: move standbys
 * from the most to the least loaded member (one it may hold) until loads differ by at most one.
 */
function evenOut(members: readonly StandbyMember[], result: Map<string, string[]>): void {
  for (let moves = 0; moves < 10_000; moves++) {
    const byLoad = [...members].sort(
      (a, b) => result.get(a.memberId)!.length - result.get(b.memberId)!.length,
    );
    const low = byLoad[0]!;
    const high = byLoad[byLoad.length - 1]!;
    const lowList = result.get(low.memberId)!;
    const highList = result.get(high.memberId)!;
    if (highList.length - lowList.length <= 1) return;
    const movable = [...highList]
      .sort(compareTaskIds)
      .find((t) => !low.active.includes(t) && !lowList.includes(t));
    if (movable === undefined) return;
    highList.splice(highList.indexOf(movable), 1);
    lowList.push(movable);
  }
}

function lessThan(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
}
