import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { StoreBackend } from '../../../state/index.ts';
import type { StreamsConfig } from '../../config/index.ts';
import type {
  ConsumedRecord,
  KafkaClient,
  KafkaConsumer,
  KafkaProducer,
  PartitionReader,
  ProducerRecord,
  RecordMetadata,
  TopicPartition,
  TransactionalProducer,
} from '../../kafka/index.ts';
import type { SourceRecord } from '../../processor/index.ts';
import type { CompiledTopology } from '../../topology/topology.ts';
import type { StreamsMetrics } from '../streams-metrics.ts';
import { routeFailure } from './error-policy.ts';
import { OutputCollector } from './output-collector.ts';
import { RepartitionPurger } from './repartition-purger.ts';
import type { StreamTask } from './stream-task.ts';
import { streamsConsumerOptions } from './consumer-options.ts';
import { TaskManager } from './task-manager.ts';
import { TransactionSender } from './transaction-sender.ts';
import { commitFailed, MAX_MIGRATIONS, rewindToCommitted, taskMigrationReason } from './task-migration.ts';
import type { StoreRestoreProgress } from './task-restorer.ts';

/** Shared by every record without headers (most): one allocation less per record. Never mutated. */
const NO_HEADERS: SourceRecord['headers'] = Object.freeze([]) as unknown as SourceRecord['headers'];

/** What a stream thread is given by the application. */
export interface StreamThreadOptions {
  config: StreamsConfig;
  compiled: CompiledTopology;
  kafka: KafkaClient;
  /** Opens the storage of a task (one LMDB environment per task dir). */
  openBackend: (taskId: string) => Promise<StoreBackend>;
  /** Task ids that have state on local disk (for the assignor's warm-state preference). */
  localTaskIds: () => string[];
  processId: string;
  metrics: StreamsMetrics;
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
  onRestoreProgress: (p: StoreRestoreProgress) => void;
  /** Every assigned task is running (true) or some are restoring / a rebalance is under way (false). */
  onRunningChange: (running: boolean) => void;
}

/**
 * One stream thread: a group consumer, a producer (transactional under exactly_once_v2), and its tasks (a
 * {@link TaskManager}: active tasks of the partitions assigned to this instance, and standby replicas).
 * The loop: poll → buffer records per task → restore (in the background, partitions paused) → process in
 * timestamp order → punctuate → commit every commit.interval.ms. Rebalance callbacks run inside poll: on
 * revoke, commit and suspend; on assign, resume or create tasks and schedule their restore (never
 * restoring inside the callback).
 */
export class StreamThread {
  readonly #o: StreamThreadOptions;
  readonly #eos: boolean;
  readonly #consumer: KafkaConsumer;
  #producer: KafkaProducer | TransactionalProducer;
  readonly #reader: PartitionReader;
  readonly #output: OutputCollector;
  readonly #tasks: TaskManager;
  readonly #purger: RepartitionPurger;
  /** The open transaction's begin, and the producer it belongs to (a replaced producer's never counts). */
  readonly #txn = new TransactionSender({
    producer: () => this.#producer,
    groupId: () => this.#consumer.groupMetadata().groupId,
  });
  #lastCommit = Date.now();
  #uncommitted = false;
  #stopping = false;
  /** Inside onPartitionsRevoked/Lost: the tasks are being dropped anyway. */
  #inRebalance = false;
  /** Task migrations since the last successful commit (a bound against fencing ping-pong). */
  #migrations = 0;
  #loop: Promise<void> | undefined;

  constructor(options: StreamThreadOptions) {
    this.#o = options;
    const c = options.config;
    this.#eos = c['processing.guarantee'] === 'exactly_once_v2';
    this.#consumer = options.kafka.consumer(
      streamsConsumerOptions(c, options.compiled, options.processId, {
        listener: {
          onPartitionsRevoked: (tps) => this.#onRevoked(tps),
          onPartitionsAssigned: (tps, committed) => this.#tasks.assign(tps, committed),
          onPartitionsLost: (tps) => this.#onLost(tps),
        },
        userData: () => this.#tasks.memberInfo(),
      }),
    );
    this.#producer = this.#newProducer();
    this.#reader = options.kafka.partitionReader({
      isolationLevel: this.#eos ? 'read_committed' : 'read_uncommitted',
    });
    this.#output = new OutputCollector((records) => this.#send(records));
    this.#purger = new RepartitionPurger({
      kafka: options.kafka,
      repartitionTopics: new Set(
        options.compiled.internalTopics.filter((t) => t.kind === 'repartition').map((t) => t.name),
      ),
      intervalMs: c['repartition.purge.interval.ms'],
      log: options.log,
    });
    this.#tasks = new TaskManager({
      ...options,
      consumer: this.#consumer,
      reader: this.#reader,
      output: this.#output,
      onFatal: () => {
        this.#stopping = true;
      },
    });
  }

  /** The active tasks of this thread by id. */
  get tasks(): ReadonlyMap<string, StreamTask> {
    return this.#tasks.tasks;
  }

  /** The standby tasks kept warm on this thread (ids), empty without `num.standby.replicas`. */
  standbyTaskIds(): string[] {
    return [...(this.#tasks.standbys?.tasks.keys() ?? [])];
  }

  /** Joins the group and runs the loop until {@link stop}. Rejects when the loop fails. */
  start(): Promise<void> {
    const topics = this.#o.compiled.subtopologies.flatMap((s) => s.sourceTopics);
    this.#loop = this.#tasks
      .start()
      .then(() => this.#consumer.subscribe([...new Set(topics)]))
      .then(() => this.#run());
    return this.#loop;
  }

  /** Finishes the current iteration, commits, closes tasks and leaves the group. */
  async stop(): Promise<void> {
    this.#stopping = true;
    await this.#loop?.catch(() => undefined);
  }

  async #run(): Promise<void> {
    try {
      while (!this.#stopping) {
        const polled = performance.now();
        const records = await this.#consumer.poll(100);
        const pollMs = performance.now() - polled;
        this.#o.metrics.pollTotal++;
        this.#o.metrics.pollLatencyMsTotal += pollMs;
        if (pollMs > this.#o.metrics.pollLatencyMsMax) this.#o.metrics.pollLatencyMsMax = pollMs;
        this.#dispatch(records);
        this.#tasks.startRestores();
        await this.#processAll();
        await this.#punctuate();
        if (this.#commitDue()) await this.commit();
      }
      await this.commit();
    } finally {
      await this.#shutdown();
    }
  }

  #dispatch(records: ConsumedRecord[]): void {
    let group: SourceRecord[] = [];
    let current: StreamTask | undefined;
    let currentKey = '';
    const flush = () => {
      if (current && group.length > 0) current.queue.add(`${group[0]!.topic}`, group);
      group = [];
    };
    for (const r of records) {
      const key = `${r.topic}:${r.partition}`;
      if (key !== currentKey) {
        flush();
        currentKey = key;
        const sub = this.#o.compiled.subtopologyOf(r.topic);
        current = sub ? this.tasks.get(`${sub.id}_${r.partition}`) : undefined;
      }
      if (current?.lifecycle.state === 'RUNNING') {
        group.push({
          topic: r.topic,
          partition: r.partition,
          offset: Number(r.offset),
          key: r.key,
          value: r.value,
          timestamp: Number(r.timestamp),
          headers: r.headers.length === 0 ? NO_HEADERS : r.headers.map(([k, v]) => ({ key: k, value: v })),
        });
      }
    }
    flush();
  }

  async #processAll(): Promise<void> {
    const running = [...this.tasks.values()].filter(
      (t) => t.lifecycle.state === 'RUNNING' && t.queue.size > 0,
    );
    // A fetch can hold tens of thousands of records: between slices of work (max.poll.records records, or
    // ~5 ms), let the event loop serve queries and heartbeats, and commit when commit.interval.ms is due, so
    // the interval holds under load and a crash never redoes a whole fetch.
    const slice = this.#o.config['max.poll.records'];
    let sliceStart = performance.now();
    let sinceYield = 0;
    for (const task of running) {
      if (this.#stopping) break;
      if (task.lifecycle.state !== 'RUNNING') continue;
      for (let r = task.queue.next(); r !== undefined; r = task.queue.next()) {
        try {
          const p = task.process(r);
          if (p) await p;
        } catch (err) {
          routeFailure(this.#o, this.#output, task.id, r, err);
        }
        sinceYield++;
        this.#uncommitted = true;
        this.#o.metrics.e2eLatency.observe(Date.now() - r.timestamp);
        if (sinceYield >= slice || ((sinceYield & 63) === 0 && performance.now() - sliceStart > 5)) {
          this.#o.metrics.processedTotal += sinceYield;
          sinceYield = 0;
          this.#output.sendPending();
          await yieldToLoop();
          if (this.#commitDue()) await this.commit();
          if (this.#stopping || task.lifecycle.state !== 'RUNNING') break;
          sliceStart = performance.now();
        }
      }
    }
    this.#o.metrics.processedTotal += sinceYield;
    this.#output.sendPending();
  }

  async #punctuate(): Promise<void> {
    for (const task of this.tasks.values()) {
      if (task.lifecycle.state !== 'RUNNING') continue;
      const p = task.executor.punctuateWallClock();
      if (p) await p;
    }
  }

  #commitDue(): boolean {
    if (!this.#uncommitted && this.#output.pendingCount === 0) return false;
    if (Date.now() - this.#lastCommit >= this.#o.config['commit.interval.ms']) return true;
    let dirty = 0;
    for (const t of this.tasks.values()) dirty += t.writeBuffer.dirtyBytes;
    return dirty > this.#o.config['statestore.write.buffer.max.bytes'];
  }

  /**
   * Commits every running task. At-least-once: outputs and changelogs acknowledged → state + changelog
   * checkpoint in one LMDB transaction → input offsets. Exactly-once: outputs, changelogs and input offsets
   * in one Kafka transaction → then state + checkpoint to LMDB (a crash in between replays the changelog).
   */
  async commit(): Promise<void> {
    const started = Date.now();
    const tasks = [...this.tasks.values()].filter((t) => t.lifecycle.state === 'RUNNING');
    const offsets = tasks.flatMap((t) => t.offsetsToCommit());
    if (offsets.length === 0 && this.#output.pendingCount === 0 && !this.#uncommitted) {
      this.#lastCommit = Date.now();
      return;
    }
    try {
      // The previous commit's state flush (started, not awaited, below) must land before the next one.
      for (const t of tasks) await t.settleStateFlush();
      if (this.#eos) await this.#txn.begin();
      for (const t of tasks) {
        const p = t.prepareCommit();
        if (p) await p;
      }
      const producer = this.#producer as TransactionalProducer;
      // Offsets of a transaction the group is already in go to the group coordinator while the output
      // flushes (as Java's producer pipelines them); otherwise after, so no request races AddPartitionsToTxn.
      const early = this.#eos && offsets.length > 0 && this.#txn.groupInTransaction;
      const [positions] = await Promise.all([
        this.#output.flush(),
        early ? producer.sendOffsetsToTransaction(offsets, this.#consumer.groupMetadata()) : undefined,
      ]);
      if (this.#eos) {
        if (offsets.length > 0 && !early)
          await producer.sendOffsetsToTransaction(offsets, this.#consumer.groupMetadata());
        await producer.commitTransaction();
        this.#txn.committed();
      }
      for (const t of tasks) t.startStateFlush(positions.get(t.id));
      if (!this.#eos && offsets.length > 0) await this.#consumer.commit(offsets);
    } catch (err) {
      const migrated = this.#eos ? taskMigrationReason(err) : undefined;
      if (migrated !== undefined && !this.#stopping && this.#migrations < MAX_MIGRATIONS) {
        await this.#closeDirtyAndResume(migrated);
        return;
      }
      throw commitFailed(tasks, err, this.#eos, migrated);
    }
    // Only now (after the transaction committed, under EOS) are these offsets final.
    this.#purger.committed(offsets);
    this.#migrations = 0;
    this.#uncommitted = false;
    this.#lastCommit = Date.now();
    this.#o.metrics.recordCommit(this.#lastCommit - started);
  }

  #send(records: ProducerRecord[]): Promise<RecordMetadata[]> {
    return this.#eos ? this.#txn.send(records) : this.#producer.send(records);
  }

  // ------------------------------------------------------------------------------------ rebalancing

  async #onRevoked(tps: readonly TopicPartition[]): Promise<void> {
    this.#o.metrics.rebalanceTotal++;
    this.#o.onRunningChange(false);
    this.#inRebalance = true;
    try {
      await this.commit();
    } finally {
      this.#inRebalance = false;
    }
    await this.#tasks.suspend(tps);
  }

  #newProducer(): KafkaProducer | TransactionalProducer {
    const c = this.#o.config;
    return this.#eos
      ? this.#o.kafka.transactionalProducer({
          transactionalId: `${c['application.id']}-${this.#o.processId}-0`,
          transactionTimeoutMs: c['transaction.timeout.ms'],
        })
      : this.#o.kafka.producer({ idempotent: true });
  }

  /**
   * A transaction could not commit because the tasks migrated (see task-migration.ts). As Kafka Streams
   * does: abort, drop the write buffers (the stores fall back to their last commit), close the tasks
   * dirty, start a new producer (a fenced one cannot be used again), rewind the input to the group's
   * committed offsets and restore the tasks again (the changelog beyond the checkpoint, read_committed,
   * holds only committed transactions). Inside a rebalance callback the tasks are only dropped: the
   * rebalance decides where they go.
   */
  async #closeDirtyAndResume(reason: string): Promise<void> {
    this.#migrations++;
    const running = [...this.tasks.values()].filter((t) => t.lifecycle.state === 'RUNNING');
    this.#o.log(
      'warn',
      `transaction of tasks ${running.map((t) => t.id).join(', ')} failed (${reason}): closing them dirty and resuming from the last commit`,
    );
    this.#o.metrics.taskMigratedTotal++;
    this.#output.reset();
    const old = this.#producer as TransactionalProducer;
    // Replace the producer first: sends still queued for the old one are dropped (see #send).
    this.#producer = this.#newProducer();
    await this.#txn.drain();
    await old.abortTransaction().catch(() => undefined);
    await old.close().catch(() => undefined);
    for (const t of running) {
      this.#tasks.tasks.delete(t.id);
      t.writeBuffer.discard();
      t.consumed.clear();
      await t
        .close()
        .catch((err: unknown) => this.#o.log('warn', `closing task ${t.id}: ${(err as Error).message}`));
    }
    this.#uncommitted = false;
    this.#lastCommit = Date.now();
    if (this.#inRebalance || running.length === 0) return;
    this.#o.onRunningChange(false);
    const committed = await rewindToCommitted(
      this.#o.kafka,
      this.#consumer,
      running.flatMap((t) => this.#tasks.partitionsOf(t)),
    );
    for (const t of running) this.#tasks.restore(await this.#tasks.createTask(t.id, committed));
  }

  async #onLost(tps: readonly TopicPartition[]): Promise<void> {
    // The partitions may already be elsewhere: drop uncommitted work without committing.
    this.#output.reset();
    this.#txn.reset();
    if (this.#eos) await (this.#producer as TransactionalProducer).abortTransaction().catch(() => undefined);
    await this.#tasks.dropLost(tps);
  }

  async #shutdown(): Promise<void> {
    await this.#tasks.closeAll();
    await this.#purger.close();
    await this.#consumer.close().catch(() => undefined);
    // A transaction left open (the last commit failed) would hold back read_committed readers of every
    // partition it wrote until its timeout: abort it now.
    const producer = this.#producer;
    if (this.#eos && (producer as TransactionalProducer).inTransaction)
      await (producer as TransactionalProducer).abortTransaction().catch(() => undefined);
    await producer.close().catch(() => undefined);
    await this.#reader.close().catch(() => undefined);
  }
}
