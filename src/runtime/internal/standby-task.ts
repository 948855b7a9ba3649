import {
  createStoreRestorer,
  type ChangelogRecord,
  type StoreBackend,
  type StoreRestorer,
} from '../../../state/index.ts';
import type { ConsumedRecord, TopicPartitionOffset } from '../../kafka/index.ts';
import type { SubtopologySpec } from '../../processor/subtopology-spec.ts';
import { changelogPartitionsOf, type ChangelogPartition } from './stream-task.ts';

/**
 * A standby replica of one task (Kafka Streams' StandbyTask): the task's stores in its own task dir
 * (`<state.dir>/<application.id>/<taskId>`, the same layout and backend as the active task), kept warm by
 * applying the task's changelog partitions as they grow. No processors, no input, no output. Each applied
 * batch commits to the backend in one transaction with the changelog checkpoint (the restorer's
 * contract), so when the task is promoted, the active task's restore starts at that checkpoint and only
 * replays the gap.
 */
export class StandbyTask {
  readonly id: string;
  readonly backend: StoreBackend;
  readonly #partitions: ChangelogPartition[];
  readonly #restorers = new Map<string, StoreRestorer>();
  /** Latest known changelog end offset per `topic:partition` (refreshed by the updater). */
  readonly #ends = new Map<string, bigint>();
  #applied = 0;

  constructor(id: string, subtopology: SubtopologySpec, partition: number, backend: StoreBackend) {
    this.id = id;
    this.backend = backend;
    this.#partitions = changelogPartitionsOf(subtopology, partition);
    for (const c of this.#partitions) {
      this.#restorers.set(
        `${c.topic}:${c.partition}`,
        createStoreRestorer(backend, {
          store: c.store,
          changelogTopic: c.topic,
          partition: c.partition,
          // Never "done": a standby follows the changelog for as long as it lives.
          endOffset: BigInt(Number.MAX_SAFE_INTEGER),
        }),
      );
    }
  }

  /** The changelog partitions to read, each from its checkpoint. */
  startOffsets(): TopicPartitionOffset[] {
    return this.#partitions.map((c) => ({
      topic: c.topic,
      partition: c.partition,
      offset: this.#restorers.get(`${c.topic}:${c.partition}`)!.position,
    }));
  }

  /** Changelog records applied since this standby started. */
  get applied(): number {
    return this.#applied;
  }

  /** Applies fetched records of one of its changelog partitions, then moves the checkpoint to `position`. */
  async apply(
    topic: string,
    partition: number,
    records: readonly ConsumedRecord[],
    position: bigint | undefined,
  ) {
    const restorer = this.#restorers.get(`${topic}:${partition}`);
    if (!restorer) return;
    const batch: ChangelogRecord[] = [];
    for (const r of records) if (r.key !== null) batch.push({ key: r.key, value: r.value, offset: r.offset });
    const before = restorer.restored;
    await restorer.restoreBatch(batch);
    this.#applied += restorer.restored - before;
    // Transaction markers and aborted records take offsets but are never returned: checkpoint past them.
    if (position !== undefined) await restorer.advanceTo(position);
  }

  setEndOffset(topic: string, partition: number, end: bigint): void {
    this.#ends.set(`${topic}:${partition}`, end);
  }

  /** Records behind the changelogs' ends (sum over its stores); unknown ends count as caught up. */
  lag(): number {
    let lag = 0n;
    for (const [key, restorer] of this.#restorers) {
      const end = this.#ends.get(key);
      if (end !== undefined && end > restorer.position) lag += end - restorer.position;
    }
    return Number(lag);
  }

  async close(): Promise<void> {
    await this.backend.close();
  }
}
