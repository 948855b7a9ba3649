import { MillraceError, isMillraceError } from '../../errors/index.ts';
import type { KafkaClient, KafkaConsumer, OffsetAndMetadata, TopicPartition } from '../../kafka/index.ts';
import type { StreamTask } from './stream-task.ts';

/** Task migrations in a row (no successful commit between) before the thread gives up: fencing ping-pong. */
export const MAX_MIGRATIONS = 3;

/**
 * Kafka errors after which a thread's tasks are "migrated" (Kafka Streams' TaskMigratedException): the
 * transaction cannot commit because this producer was fenced (another producer took its transactional id)
 * or the group moved on (a rebalance this member has not seen yet). The work since the last commit is
 * void but nothing is broken: abort, close the tasks dirty, and resume them from the last commit.
 */
const MIGRATION_ERRORS = new Set([
  'PRODUCER_FENCED',
  'INVALID_PRODUCER_EPOCH',
  'TRANSACTION_ABORTABLE',
  'ILLEGAL_GENERATION',
  'UNKNOWN_MEMBER_ID',
  'REBALANCE_IN_PROGRESS',
  'FENCED_INSTANCE_ID',
]);

/** The Kafka error name that makes `err` a task migration, or undefined when it is another failure. */
export function taskMigrationReason(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e !== undefined && e !== null && depth < 6; depth++) {
    if (isMillraceError(e)) {
      const names = e.details?.kafkaErrors;
      if (Array.isArray(names)) {
        const hit = names.find((n) => typeof n === 'string' && MIGRATION_ERRORS.has(n));
        if (hit !== undefined) return hit as string;
      }
    }
    e = e instanceof Error ? e.cause : undefined;
  }
  return undefined;
}

/**
 * Moves the consumer back to the group's committed offsets (the earliest offset where there is none), and
 * returns them (with their metadata: the stream time the tasks resume). The
 * offsets come from the consumer (require_stable under read_committed): right after a transaction commits,
 * its offset markers may not be applied yet, and an admin OffsetFetch would return the offsets before it,
 * so the tasks, restored with that transaction's state, would process its input a second time.
 */
export async function rewindToCommitted(
  kafka: KafkaClient,
  consumer: KafkaConsumer,
  tps: readonly TopicPartition[],
): Promise<OffsetAndMetadata[]> {
  const admin = kafka.admin();
  try {
    const committed = await consumer.committed(tps);
    const assigned = consumer.assignment();
    for (const tp of tps) {
      // A partition no longer assigned (a rebalance under way) is positioned by that rebalance.
      if (!assigned.some((a) => a.topic === tp.topic && a.partition === tp.partition)) continue;
      let offset = committed.find((o) => o.topic === tp.topic && o.partition === tp.partition)?.offset;
      offset ??= (await admin.listOffsets(tp.topic, 'earliest', { partitions: [tp.partition] }))[0]?.offset;
      if (offset !== undefined) consumer.seek(tp, offset);
    }
    return committed;
  } finally {
    await admin.close().catch(() => undefined);
  }
}

/** The error that stops the thread when a commit fails for good: says what happened and what to do. */
export function commitFailed(
  tasks: readonly StreamTask[],
  err: unknown,
  eos: boolean,
  migrated: string | undefined,
): MillraceError {
  const ids = tasks.map((t) => t.id).join(', ');
  const what = eos
    ? 'nothing of the failed transaction is visible (read_committed) and on restart its tasks resume from the last commit, without loss or duplicates'
    : 'on restart its tasks resume from the last committed offsets; records processed since then are processed again (at_least_once)';
  const fenced =
    migrated === 'PRODUCER_FENCED' || migrated === 'INVALID_PRODUCER_EPOCH'
      ? ' Fenced again and again: another live instance uses the same transactional id, i.e. the same state.dir and application.id — give every instance its own state.dir.'
      : '';
  return new MillraceError(
    'MR_COMMIT_FAILED',
    `commit of tasks ${ids} failed: ${(err as Error)?.message ?? String(err)}. The instance stops: restart it (${what}); if it fails again, check the broker is reachable and its logs.${fenced}`,
    { cause: err },
  );
}
