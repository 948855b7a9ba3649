import type { StoreBackend } from '../../../state/index.ts';
import type { ConsumedRecord, KafkaClient, PartitionReader } from '../../kafka/index.ts';
import type { CompiledTopology } from '../../topology/topology.ts';
import { StandbyTask } from './standby-task.ts';
import { changelogPartitionsOf } from './stream-task.ts';

/** What the updater needs from the thread. */
export interface StandbyUpdaterOptions {
  kafka: KafkaClient;
  /** read_committed under exactly-once: a standby never applies a record of an open or aborted transaction. */
  readCommitted: boolean;
  compiled: CompiledTopology;
  openBackend: (taskId: string) => Promise<StoreBackend>;
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
  /** After each applied poll: per standby task, records applied so far and its lag. */
  onProgress?: (taskId: string, applied: number, lag: number) => void;
  /** A standby task closed (moved away or promoted to active), with its last measured lag. */
  onClosed?: (taskId: string, lag: number) => void;
}

/** How long one poll of the standby changelogs waits for records (also bounds how long a promotion waits). */
const POLL_MS = 200;
/** How often the changelogs' end offsets are looked up to measure the standbys' lags. */
const END_OFFSETS_INTERVAL_MS = 1000;

/**
 * Keeps this instance's standby tasks warm (Kafka Streams' StandbyUpdater): one partition reader over all
 * their changelog partitions, polled in its own loop, so the stream thread's processing never waits on it.
 * Changes of the standby set (a new placement, a promotion to active) and polls are serialized: a task
 * is only closed between two polls, so its backend is never written after close.
 */
export class StandbyUpdater {
  readonly tasks = new Map<string, StandbyTask>();
  readonly #o: StandbyUpdaterOptions;
  readonly #reader: PartitionReader;
  #lock: Promise<unknown> = Promise.resolve();
  #stopped = false;
  #loop: Promise<void> | undefined;
  #lastEnds = 0;

  constructor(options: StandbyUpdaterOptions) {
    this.#o = options;
    this.#reader = options.kafka.partitionReader({
      isolationLevel: options.readCommitted ? 'read_committed' : 'read_uncommitted',
    });
  }

  start(): void {
    this.#loop ??= this.#run();
  }

  /** Makes the standby set exactly `ids` (minus `exclude`, the tasks running active here). */
  setTasks(ids: Iterable<string>, exclude: ReadonlySet<string>): Promise<void> {
    return this.#exclusive(async () => {
      const wanted = new Set([...ids].filter((id) => !exclude.has(id)));
      for (const id of [...this.tasks.keys()]) if (!wanted.has(id)) await this.#close(id);
      for (const id of wanted) {
        if (this.tasks.has(id) || this.#stopped) continue;
        const [sub, partition] = id.split('_').map(Number) as [number, number];
        const subtopology = this.#o.compiled.subtopologies.find((s) => s.id === sub);
        // A stateless task has nothing to keep warm.
        if (!subtopology || changelogPartitionsOf(subtopology, partition).length === 0) continue;
        const task = new StandbyTask(id, subtopology, partition, await this.#o.openBackend(id));
        this.tasks.set(id, task);
        this.#reader.assign(task.startOffsets());
        this.#o.onProgress?.(id, 0, task.lag());
        this.#lastEnds = 0;
        this.#o.log('info', `standby of task ${id} started at ${this.#describe(task)}`);
      }
    });
  }

  /** Closes the standbys of `ids` (they are about to run active here and open the same task dirs). */
  release(ids: Iterable<string>): Promise<void> {
    return this.#exclusive(async () => {
      for (const id of ids) if (this.tasks.has(id)) await this.#close(id);
    });
  }

  /** Per standby task, records behind its changelogs' ends (as of the last end-offset lookup). */
  lags(): Map<string, number> {
    return new Map([...this.tasks].map(([id, t]) => [id, t.lag()]));
  }

  async close(): Promise<void> {
    this.#stopped = true;
    await this.#loop?.catch(() => undefined);
    await this.#exclusive(async () => {
      for (const id of [...this.tasks.keys()]) await this.#close(id);
    }).catch(() => undefined);
    await this.#reader.close().catch(() => undefined);
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      if (this.tasks.size === 0) {
        await new Promise((r) => setTimeout(r, POLL_MS));
        continue;
      }
      try {
        await this.#exclusive(() => this.#pollOnce());
      } catch (err) {
        // A standby is an optimization: log and retry; the active task restores whatever is missing.
        this.#o.log('warn', `standby update failed, retrying: ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  async #pollOnce(): Promise<void> {
    if (this.tasks.size === 0 || this.#stopped) return;
    if (Date.now() - this.#lastEnds >= END_OFFSETS_INTERVAL_MS) {
      const ends = await this.#reader.endOffsets(this.#reader.assignment());
      for (const e of ends) this.#ownerOf(e.topic, e.partition)?.setEndOffset(e.topic, e.partition, e.offset);
      this.#lastEnds = Date.now();
    }
    const records = await this.#reader.poll(POLL_MS);
    const byPartition = new Map<string, ConsumedRecord[]>();
    for (const r of records) {
      const key = `${r.topic}:${r.partition}`;
      let list = byPartition.get(key);
      if (!list) byPartition.set(key, (list = []));
      list.push(r);
    }
    for (const tp of this.#reader.assignment()) {
      const task = this.#ownerOf(tp.topic, tp.partition);
      if (!task) continue;
      await task.apply(
        tp.topic,
        tp.partition,
        byPartition.get(`${tp.topic}:${tp.partition}`) ?? [],
        this.#reader.position(tp),
      );
    }
    for (const [id, t] of this.tasks) this.#o.onProgress?.(id, t.applied, t.lag());
  }

  /** The standby task reading changelog partition `topic:partition` (changelog p belongs to task `<sub>_p`). */
  #ownerOf(topic: string, partition: number): StandbyTask | undefined {
    for (const t of this.tasks.values())
      if (t.startOffsets().some((o) => o.topic === topic && o.partition === partition)) return t;
    return undefined;
  }

  async #close(id: string): Promise<void> {
    const task = this.tasks.get(id);
    if (!task) return;
    this.tasks.delete(id);
    this.#reader.unassign(task.startOffsets());
    this.#o.onClosed?.(id, task.lag());
    await task
      .close()
      .catch((err: unknown) => this.#o.log('warn', `closing standby ${id}: ${(err as Error).message}`));
    this.#o.log(
      'info',
      `standby of task ${id} closed at ${this.#describe(task)} (${task.applied} records applied)`,
    );
  }

  #describe(task: StandbyTask): string {
    return task
      .startOffsets()
      .map((o) => `${o.topic}-${o.partition}@${o.offset}`)
      .join(', ');
  }

  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#lock.then(fn);
    this.#lock = run.catch(() => undefined);
    return run;
  }
}
