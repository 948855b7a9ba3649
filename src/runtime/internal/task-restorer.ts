import { createStoreRestorer, type ChangelogRecord } from '../../../state/index.ts';
import type { PartitionReader } from '../../kafka/index.ts';
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

/**
 * Restores every logged store of a task from its changelog partition: from the store's checkpoint to the
 * changelog's end offset as of the start, in large batches, each batch one backend transaction with its
 * checkpoint. Returns false when the task left RESTORING meanwhile (revoked or shutting down).
 */
export async function restoreTask(
  task: StreamTask,
  reader: PartitionReader,
  batchSize: number,
  onProgress: (p: StoreRestoreProgress) => void,
): Promise<boolean> {
  for (const c of task.changelogPartitions()) {
    const [end] = await reader.endOffsets([{ topic: c.topic, partition: c.partition }]);
    const endOffset = end?.offset ?? 0n;
    const restorer = createStoreRestorer(task.backend, {
      store: c.store,
      changelogTopic: c.topic,
      partition: c.partition,
      endOffset,
      maxBatchSize: batchSize,
    });
    const total = Number(endOffset - restorer.startOffset);
    const report = (done: boolean) =>
      onProgress({
        taskId: task.id,
        store: c.store,
        changelog: c.topic,
        partition: c.partition,
        restored: restorer.restored,
        total: Math.max(total, 0),
        done,
      });
    if (restorer.startOffset >= endOffset) {
      report(true);
      continue;
    }
    report(false);
    for await (const batch of reader.readToEnd({
      topic: c.topic,
      partition: c.partition,
      offset: restorer.startOffset,
    })) {
      if (task.lifecycle.state !== 'RESTORING') return false;
      const records: ChangelogRecord[] = [];
      for (const r of batch) {
        if (r.offset >= endOffset) break;
        if (r.key !== null) records.push({ key: r.key, value: r.value, offset: r.offset });
      }
      await restorer.restoreBatch(records);
      report(false);
    }
    if (task.lifecycle.state !== 'RESTORING') return false;
    // Transaction markers and compacted-away records leave the position short of the end: checkpoint the end.
    if (restorer.position < endOffset) await restorer.advanceTo(endOffset);
    report(true);
  }
  return true;
}
