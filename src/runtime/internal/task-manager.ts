import { ThreadCache } from '../../../state/internal/thread-cache.ts';
import type { StoreBackend } from '../../../state/index.ts';
import type { StreamsConfig } from '../../config/index.ts';
import type {
  KafkaClient,
  KafkaConsumer,
  OffsetAndMetadata,
  PartitionReader,
  TopicPartition,
} from '../../kafka/index.ts';
import type { CompiledTopology } from '../../topology/topology.ts';
import type { StreamsMetrics } from '../streams-metrics.ts';
import { measureLocalLags } from './local-lags.ts';
import { encodeMemberInfo, STALE_COPY_LAG } from './member-info.ts';
import type { OutputCollector } from './output-collector.ts';
import { StandbyPlanner } from './standby-planner.ts';
import { StandbyUpdater } from './standby-updater.ts';
import { StreamTask } from './stream-task.ts';
import { committedStreamTime } from './stream-time-metadata.ts';
import { restoreTasks, type StoreRestoreProgress } from './task-restorer.ts';

/** What the task manager needs from its stream thread. */
export interface TaskManagerOptions {
  config: StreamsConfig;
  compiled: CompiledTopology;
  kafka: KafkaClient;
  consumer: KafkaConsumer;
  /** The restore reader (read_committed under exactly-once). */
  reader: PartitionReader;
  output: OutputCollector;
  openBackend: (taskId: string) => Promise<StoreBackend>;
  localTaskIds: () => string[];
  metrics: StreamsMetrics;
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
  onRestoreProgress: (p: StoreRestoreProgress) => void;
  onRunningChange: (running: boolean) => void;
  /** A restore failed for good: the thread stops. */
  onFatal: (err: unknown) => void;
}

/**
 * The tasks of one stream thread (Kafka Streams' TaskManager): active tasks by lifecycle state, the tasks
 * suspended across a rebalance, the restore queue (restores are started from the thread's loop, every queued
 * task together, never inside a rebalance callback), and the standby replicas with their placement.
 */
export class TaskManager {
  readonly tasks = new Map<string, StreamTask>();
  readonly standbys: StandbyUpdater | undefined;
  readonly #o: TaskManagerOptions;
  /** The thread's record cache: one budget for all its tasks, as Kafka Streams' ThreadCache. */
  readonly #threadCache: ThreadCache;
  readonly #suspended = new Map<string, StreamTask>();
  readonly #planner: StandbyPlanner | undefined;
  /** Lags of local task dirs that are neither active nor standby here: measured at start, or last known. */
  readonly #localLags = new Map<string, number>();
  #restoreQueue: StreamTask[] = [];
  #restoring: Promise<void> | undefined;

  constructor(options: TaskManagerOptions) {
    this.#threadCache = new ThreadCache(options.config['statestore.cache.max.bytes']);
    this.#o = options;
    const replicas = options.config['num.standby.replicas'];
    if (replicas > 0) {
      const standbys = new StandbyUpdater({
        kafka: options.kafka,
        readCommitted: options.config['processing.guarantee'] === 'exactly_once_v2',
        compiled: options.compiled,
        openBackend: options.openBackend,
        log: options.log,
        onProgress: (id, applied, lag) => options.metrics.standbyProgress.set(id, { applied, lag }),
        onClosed: (id, lag) => {
          options.metrics.standbyProgress.delete(id);
          this.#localLags.set(id, lag);
        },
      });
      this.standbys = standbys;
      this.#planner = new StandbyPlanner({
        kafka: options.kafka,
        groupId: options.config['application.id'],
        compiled: options.compiled,
        replicas,
        memberId: () => options.consumer.groupMetadata().memberId,
        log: options.log,
        apply: (ids) => standbys.setTasks(ids, new Set(this.tasks.keys())),
      });
    }
  }

  /** Measures the local task dirs' lags for the first join, then starts the standby updater. */
  async start(): Promise<void> {
    const measured = await measureLocalLags(
      this.#o.localTaskIds(),
      this.#o.compiled,
      this.#o.openBackend,
      this.#o.reader,
      this.#o.log,
    );
    for (const [id, lag] of measured) this.#localLags.set(id, lag);
    this.standbys?.start();
  }

  // ------------------------------------------------------------------------------------ rebalancing

  /** After the commit of onPartitionsRevoked: the tasks of `tps` stop and wait to see if they come back. */
  async suspend(tps: readonly TopicPartition[]): Promise<void> {
    for (const id of this.taskIdsOf(tps)) {
      const task = this.tasks.get(id);
      if (!task) continue;
      this.tasks.delete(id);
      task.queue.clear();
      task.consumed.clear();
      if (task.lifecycle.state === 'CREATED') {
        await task.close();
        continue;
      }
      task.lifecycle.transitionTo('SUSPENDED');
      this.#suspended.set(id, task);
    }
  }

  /**
   * onPartitionsAssigned: closes the suspended tasks that went elsewhere, resumes the ones that came back,
   * creates the new ones (a standby of the task first gives its task dir up; each resumes the stream time
   * committed with its offsets, `committed`) and queues their restores. Then plans the standbys in the
   * background (describeGroup, never inside the callback).
   */
  async assign(tps: readonly TopicPartition[], committed: readonly OffsetAndMetadata[]): Promise<void> {
    const ids = this.taskIdsOf(tps);
    for (const [id, task] of this.#suspended) {
      if (!ids.has(id)) {
        this.#suspended.delete(id);
        await task.close();
        this.#o.metrics.taskStates.delete(id);
      }
    }
    const promoted = [...ids].filter((id) => this.standbys?.tasks.has(id));
    if (promoted.length > 0) {
      await this.standbys!.release(promoted);
      this.#o.log('info', `promoting standby tasks ${promoted.join(', ')} to active`);
    }
    for (const id of ids) {
      if (this.tasks.has(id)) continue;
      const task = this.#suspended.get(id);
      this.#suspended.delete(id);
      this.restore(task ?? (await this.createTask(id, committed)));
    }
    if (this.#restoreQueue.length === 0) this.#o.onRunningChange(true);
    this.#planner?.plan();
  }

  /** onPartitionsLost: the tasks may already run elsewhere; their uncommitted work is dropped. */
  async dropLost(tps: readonly TopicPartition[]): Promise<void> {
    for (const id of this.taskIdsOf(tps)) {
      const task = this.tasks.get(id);
      if (!task) continue;
      this.tasks.delete(id);
      task.writeBuffer.discard();
      await task.close();
    }
  }

  /** A new task; `committed` (the group's offsets, with metadata) gives the stream time it resumes. */
  async createTask(id: string, committed: readonly OffsetAndMetadata[]): Promise<StreamTask> {
    const [sub, partition] = id.split('_').map(Number) as [number, number];
    const subtopology = this.#o.compiled.subtopologies.find((s) => s.id === sub)!;
    return new StreamTask({
      applicationId: this.#o.config['application.id'],
      subtopology,
      partition,
      initialStreamTimeMs: committedStreamTime(
        committed,
        subtopology.sourceTopics.map((topic) => ({ topic, partition })),
      ),
      backend: await this.#o.openBackend(id),
      output: this.#o.output,
      onStateChange: (taskId, _from, to) => this.#o.metrics.taskStates.set(taskId, to),
      onDroppedRecord: () => this.#o.metrics.droppedRecordsTotal++,
      threadCache: this.#threadCache,
    });
  }

  /** Schedules the restore of a created or suspended task; its partitions stay paused until it runs. */
  restore(task: StreamTask): void {
    task.lifecycle.transitionTo('RESTORING');
    this.tasks.set(task.id, task);
    this.#o.consumer.pause(this.partitionsOf(task));
    this.#restoreQueue.push(task);
  }

  /**
   * Called from the thread's loop: unless a restore session runs, starts one over every queued task (their
   * changelogs are fetched together); tasks queued meanwhile join at the session's next round. Each task
   * starts running as soon as its own stores are restored.
   */
  startRestores(): void {
    if (this.#restoring || this.#restoreQueue.length === 0) return;
    this.#restoring = (async () => {
      while (this.#restoreQueue.length > 0) {
        const tasks = this.#restoreQueue.filter((t) => t.lifecycle.state === 'RESTORING');
        this.#restoreQueue = [];
        await restoreTasks(
          tasks,
          this.#o.reader,
          this.#o.config['restore.batch.size'],
          this.#o.onRestoreProgress,
          (task) => this.#restored(task),
        ).catch((err: unknown) => {
          const ids = tasks.map((t) => t.id).join(', ');
          this.#o.log('error', `restore of tasks ${ids} failed: ${(err as Error).message}`);
          throw err;
        });
      }
    })().finally(() => {
      this.#restoring = undefined;
    });
    this.#restoring.catch((err: unknown) => this.#o.onFatal(err));
  }

  #restored(task: StreamTask): void {
    task.initialize();
    task.lifecycle.transitionTo('RUNNING');
    this.#o.consumer.resume(this.partitionsOf(task));
    if (
      this.#restoreQueue.length === 0 &&
      [...this.tasks.values()].every((t) => t.lifecycle.state === 'RUNNING')
    ) {
      this.#o.onRunningChange(true);
    }
  }

  taskIdsOf(tps: readonly TopicPartition[]): Set<string> {
    const ids = new Set<string>();
    for (const tp of tps) {
      const sub = this.#o.compiled.subtopologyOf(tp.topic);
      if (sub && sub.id >= 0) ids.add(`${sub.id}_${tp.partition}`);
    }
    return ids;
  }

  partitionsOf(task: StreamTask): TopicPartition[] {
    return task.subtopology.sourceTopics.map((topic) => ({ topic, partition: task.partition }));
  }

  /** The userData of the next join (see member-info.ts): owned tasks, standbys, and lag per local copy. */
  memberInfo(): Buffer {
    const owned = [...this.tasks.keys(), ...this.#suspended.keys()];
    const lags: Record<string, number> = {};
    for (const id of this.#o.localTaskIds()) lags[id] = this.#localLags.get(id) ?? STALE_COPY_LAG;
    const standbyLags = this.standbys?.lags() ?? new Map<string, number>();
    for (const [id, lag] of standbyLags) lags[id] = lag;
    for (const id of owned) lags[id] = 0;
    return encodeMemberInfo({
      server: this.#o.config['application.server'],
      owned,
      standby: [...standbyLags.keys()],
      lags,
    });
  }

  /** Closes every task (uncommitted work of tasks not RUNNING is dropped) and the standbys. */
  async closeAll(): Promise<void> {
    this.#planner?.stop();
    await this.#restoring?.catch(() => undefined);
    for (const task of [...this.tasks.values(), ...this.#suspended.values()]) {
      if (task.lifecycle.state !== 'RUNNING') task.writeBuffer.discard();
      await task
        .close()
        .catch((err: unknown) => this.#o.log('warn', `closing task ${task.id}: ${(err as Error).message}`));
    }
    this.tasks.clear();
    this.#suspended.clear();
    await this.standbys?.close();
    await this.#planner?.close();
  }
}
