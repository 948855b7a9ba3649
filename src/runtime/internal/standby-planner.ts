import type { KafkaAdmin, KafkaClient } from '../../kafka/index.ts';
import type { CompiledTopology } from '../../topology/topology.ts';
import { decodeMemberInfo } from './member-info.ts';
import { placeStandbys, type StandbyMember } from './standby-placement.ts';

/** What the planner needs. */
export interface StandbyPlannerOptions {
  kafka: KafkaClient;
  groupId: string;
  compiled: CompiledTopology;
  replicas: number;
  /** This member's id in the current generation. */
  memberId: () => string;
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
  /** Makes this instance's standby set exactly these task ids. */
  apply: (taskIds: string[]) => Promise<void>;
}

const RETRY_MS = 250;
const MAX_ATTEMPTS = 80;

/**
 * Decides this instance's standby tasks after each rebalance. The library's group protocol carries only
 * partitions to each member, so the standbys are not in the assignment: every member reads the group
 * (`describeGroup()`: each member's active partitions and userData) once the group is Stable again and
 * runs the same deterministic {@link placeStandbys}, then keeps its own share. Runs in the background,
 * never inside a rebalance callback; a newer rebalance supersedes a plan still in progress.
 */
export class StandbyPlanner {
  readonly #o: StandbyPlannerOptions;
  #admin: KafkaAdmin | undefined;
  #epoch = 0;
  #stopped = false;
  #running: Promise<void> = Promise.resolve();

  constructor(options: StandbyPlannerOptions) {
    this.#o = options;
  }

  /** Starts a new plan (after onPartitionsAssigned). */
  plan(): void {
    const epoch = ++this.#epoch;
    this.#running = this.#running
      .then(() => this.#attempt(epoch))
      .catch((err: unknown) => this.#o.log('warn', `standby placement failed: ${(err as Error).message}`));
  }

  stop(): void {
    this.#stopped = true;
    this.#epoch++;
  }

  async close(): Promise<void> {
    this.stop();
    await this.#running;
    await this.#admin?.close().catch(() => undefined);
  }

  async #attempt(epoch: number): Promise<void> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (epoch !== this.#epoch || this.#stopped) return;
      const mine = await this.#placement();
      if (epoch !== this.#epoch || this.#stopped) return;
      if (mine !== undefined) {
        await this.#o.apply(mine);
        return;
      }
      await new Promise((r) => setTimeout(r, RETRY_MS));
    }
    this.#o.log(
      'warn',
      'standby placement gave up: the group did not become stable; it is planned again at the next rebalance',
    );
  }

  /** This member's standby tasks, or undefined while the group is not Stable with this member in it. */
  async #placement(): Promise<string[] | undefined> {
    this.#admin ??= this.#o.kafka.admin();
    const group = await this.#admin.describeGroup(this.#o.groupId);
    const me = this.#o.memberId();
    if (group.state !== 'Stable' || !group.members.some((m) => m.memberId === me)) return undefined;
    const members: StandbyMember[] = group.members.map((m) => {
      const info = decodeMemberInfo(m.userData);
      const active = new Set<string>();
      for (const tp of m.assignment) {
        const sub = this.#o.compiled.subtopologyOf(tp.topic);
        if (sub && sub.id >= 0) active.add(`${sub.id}_${tp.partition}`);
      }
      return { memberId: m.memberId, active: [...active], standby: info.standby, lags: info.lags };
    });
    const tasks = [...new Set(members.flatMap((m) => m.active))];
    return placeStandbys(tasks, members, this.#o.replicas).get(me) ?? [];
  }
}
