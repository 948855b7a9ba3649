import { checkpointKey, type StoreBackend } from '../../../state/index.ts';
import type { PartitionReader } from '../../kafka/index.ts';
import type { CompiledTopology } from '../../topology/topology.ts';
import { changelogPartitionsOf } from './stream-task.ts';

/**
 * How far behind each local task dir is, measured before the first join (Kafka Streams reads its
 * checkpoint files for the same purpose): per task, the sum over its logged stores of changelog end
 * offset − checkpoint (the whole changelog when a store has no checkpoint). The assignor sends a task to
 * the instance whose copy is most caught up; a dir that cannot be read is left out (no copy).
 */
export async function measureLocalLags(
  taskIds: readonly string[],
  compiled: CompiledTopology,
  openBackend: (taskId: string) => Promise<StoreBackend>,
  reader: PartitionReader,
  log: (level: 'info' | 'warn' | 'error', message: string) => void,
): Promise<Map<string, number>> {
  const lags = new Map<string, number>();
  for (const id of taskIds) {
    const [sub, partition] = id.split('_').map(Number) as [number, number];
    const subtopology = compiled.subtopologies.find((s) => s.id === sub);
    if (!subtopology) continue;
    const partitions = changelogPartitionsOf(subtopology, partition);
    if (partitions.length === 0) continue;
    try {
      const backend = await openBackend(id);
      let checkpoints: ReadonlyMap<string, bigint>;
      try {
        checkpoints = backend.readCheckpoints();
      } finally {
        await backend.close();
      }
      const ends = await reader.endOffsets(
        partitions.map((p) => ({ topic: p.topic, partition: p.partition })),
      );
      let lag = 0n;
      for (const e of ends) {
        const behind = e.offset - (checkpoints.get(checkpointKey(e.topic, e.partition)) ?? 0n);
        if (behind > 0n) lag += behind;
      }
      lags.set(id, Number(lag));
    } catch (err) {
      log('warn', `could not measure the local state of task ${id}: ${(err as Error).message}`);
    }
  }
  return lags;
}
