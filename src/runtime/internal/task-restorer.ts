import { createStoreRestorer, type StoreRestorer } from '../../../state/index.ts';
import type { ChangelogRecords, ConsumedRecord, PartitionReader } from '../../kafka/index.ts';
import type { StreamTask } from './stream-task.ts';

/** Restore progress of one store of one task, as listeners, logs and metrics see it. */
export interface StoreRestoreProgress {
  taskId: string;
  store: string;
  changelog: string;
  partition: number;
  /** Records restored so far in this restore. */
  restored: number;
  /** Records to restore in all: end offset − checkpoint (an upper bound: compaction leaves gaps). */
  total: number;
  done: boolean;
}

/** How long one fetch of the changelogs waits for data (they all have data until they are unassigned). */
const POLL_MS = 500;

/** One changelog partition being restored. */
interface PartitionRestore {
  readonly task: StreamTask;
  readonly topic: string;
  readonly partition: number;
  readonly endOffset: bigint;
  readonly restorer: StoreRestorer;
  readonly report: (done: boolean) => void;
  /** The last restoreBatch handed to the restorer (earlier ones commit before it). */
  writing: Promise<void>;
}

/**
 * Restores every logged store of `tasks` from their changelog partitions, from each store's checkpoint to
 * the changelog's end offset as of the start, and calls `onRestored` for each task as soon as all of its
 * stores are done (still RESTORING). Like Kafka Streams' restore consumer, one reader fetches every changelog
 * partition of the session at once, and the next fetch is in flight while the backend commits the previous
 * one (each chunk of `batchSize` records one backend transaction with its checkpoint, committed in offset
 * order, so a crash mid-restore resumes from the last committed chunk). A task that leaves RESTORING
 * meanwhile (revoked, shutting down) is dropped from the session; its committed chunks stay.
 */
export async function restoreTasks(
  tasks: readonly StreamTask[],
  reader: PartitionReader,
  batchSize: number,
  onProgress: (p: StoreRestoreProgress) => void,
  onRestored: (task: StreamTask) => void,
): Promise<void> {
  const changelogs = tasks.flatMap((task) => task.changelogPartitions().map((c) => ({ task, ...c })));
  // The end is the high watermark, not the last stable offset: a transaction left open by a killed instance
  // whose transactional id nobody fences (its state dir, and so its process id, was lost) holds the last
  // stable offset back until transaction.timeout.ms, and a restore that stopped there would miss the
  // transactions committed after it — whose input offsets are already committed (counts went backwards in
  // the state-wipe soak). Reading read_committed up to the high watermark waits for that transaction instead.
  const ends = await reader.endOffsets(
    changelogs.map((c) => ({ topic: c.topic, partition: c.partition })),
    { highWatermark: true },
  );
  const restoring = (t: StreamTask): boolean => t.lifecycle.state === 'RESTORING';
  const left = new Map<StreamTask, number>();
  const active = new Map<string, PartitionRestore>();
  const finishing: Promise<void>[] = [];

  const finish = (p: PartitionRestore): void => {
    const done = (async () => {
      await p.writing;
      if (!restoring(p.task)) return;
      // Transaction markers and compacted-away records leave the position short of the end: checkpoint the end.
      if (p.restorer.position < p.endOffset) await p.restorer.advanceTo(p.endOffset);
      p.report(true);
      const rest = (left.get(p.task) ?? 1) - 1;
      left.set(p.task, rest);
      if (rest === 0 && restoring(p.task)) onRestored(p.task);
    })();
    done.catch(() => undefined);
    finishing.push(done);
  };

  for (const [i, c] of changelogs.entries()) {
    left.set(c.task, (left.get(c.task) ?? 0) + 1);
    const endOffset = ends[i]?.offset ?? 0n;
    const restorer = createStoreRestorer(c.task.backend, {
      store: c.store,
      changelogTopic: c.topic,
      partition: c.partition,
      endOffset,
      maxBatchSize: batchSize,
    });
    const total = Math.max(Number(endOffset - restorer.startOffset), 0);
    const p: PartitionRestore = {
      task: c.task,
      topic: c.topic,
      partition: c.partition,
      endOffset,
      restorer,
      writing: Promise.resolve(),
      report: (done) =>
        onProgress({
          taskId: c.task.id,
          store: c.store,
          changelog: c.topic,
          partition: c.partition,
          restored: restorer.restored,
          total,
          done,
        }),
    };
    if (restorer.startOffset >= endOffset) {
      finish(p);
      continue;
    }
    p.report(false);
    active.set(`${c.topic}:${c.partition}`, p);
  }
  for (const t of tasks) if (!left.has(t) && restoring(t)) onRestored(t);

  reader.assign([...active.values()].map((p) => ({ ...tpOf(p), offset: p.restorer.startOffset })));
  try {
    let fetching = active.size > 0 ? pollChangelog(reader) : undefined;
    /** The writes of the previous fetch: at most two fetches' records are held while the backend writes. */
    let previous: Promise<unknown> = Promise.resolve();
    while (fetching) {
      const fetched = await fetching;
      const batches: [PartitionRestore, ChangelogRecords][] = [];
      for (const r of fetched) {
        const partition = active.get(`${r.topic}:${r.partition}`);
        if (partition) batches.push([partition, r]);
      }
      // Partitions read to their end (or of tasks that left RESTORING) leave the reader before the next fetch.
      const ended: PartitionRestore[] = [];
      for (const [key, p] of active) {
        if (restoring(p.task) && (reader.position(tpOf(p)) ?? 0n) < p.endOffset) continue;
        active.delete(key);
        reader.unassign([tpOf(p)]);
        if (restoring(p.task)) ended.push(p);
      }
      fetching = active.size > 0 ? pollChangelog(reader) : undefined;
      fetching?.catch(() => undefined);
      const writes: Promise<void>[] = [];
      for (const [p, records] of batches) {
        // Records past the end offset are not part of this restore.
        const count = countBefore(records, p.endOffset);
        if (!restoring(p.task) || count === 0) continue;
        p.writing = p.restorer.restoreColumns(records, count).then(() => {
          if (restoring(p.task)) p.report(false);
        });
        p.writing.catch(() => undefined);
        writes.push(p.writing);
      }
      for (const p of ended) finish(p);
      await previous;
      previous = Promise.all(writes);
      previous.catch(() => undefined);
    }
    await previous;
    await Promise.all(finishing);
  } finally {
    reader.unassign([...active.values()].map(tpOf));
  }
}

function tpOf(p: PartitionRestore): { topic: string; partition: number } {
  return { topic: p.topic, partition: p.partition };
}

/** One fetch of every assigned changelog partition, without per-record objects when the reader can. */
function pollChangelog(reader: PartitionReader): Promise<ChangelogRecords[]> {
  return reader.pollChangelog ? reader.pollChangelog(POLL_MS) : reader.poll(POLL_MS).then(byPartition);
}

/** Records grouped by partition (a fetch lists each partition's records together, in offset order). */
function byPartition(records: readonly ConsumedRecord[]): ChangelogRecords[] {
  const out: ChangelogRecords[] = [];
  let current: ChangelogRecords | undefined;
  for (const r of records) {
    if (r.key === null) continue;
    if (current?.topic !== r.topic || current.partition !== r.partition) {
      current = {
        topic: r.topic,
        partition: r.partition,
        baseOffset: r.offset,
        offsetDeltas: [],
        keys: [],
        values: [],
      };
      out.push(current);
    }
    current.offsetDeltas.push(Number(r.offset - current.baseOffset));
    current.keys.push(r.key);
    current.values.push(r.value);
  }
  return out;
}

/** How many of the records lie before `endOffset` (offsets increase). */
function countBefore(records: ChangelogRecords, endOffset: bigint): number {
  const limit = Number(endOffset - records.baseOffset);
  let count = records.offsetDeltas.length;
  while (count > 0 && records.offsetDeltas[count - 1]! >= limit) count--;
  return count;
}
