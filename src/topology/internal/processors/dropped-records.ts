import type { ProcessorContext } from '../../../processor/processor-context.ts';
import type { StreamRecord } from '../../../processor/record.ts';

/**
 * Late (and otherwise skipped) records of windowed operations, counted per application, task and processor
 * (Kafka Streams' `dropped-records` task sensor). A late record also goes to the late-records child when the
 * operation has one (a sink to the configured late-records topic).
 */
const counts = new Map<string, number>();

/** Counts a dropped record and, when `lateChild` is set, forwards it there. */
export function dropRecord(
  context: ProcessorContext<unknown, unknown>,
  node: string,
  record: StreamRecord<unknown, unknown>,
  lateChild: string | undefined,
): void | Promise<void> {
  const key = `${context.applicationId}\u0000${context.taskId}\u0000${node}`;
  counts.set(key, (counts.get(key) ?? 0) + 1);
  return lateChild === undefined ? undefined : context.forward(record, lateChild);
}

/**
 * The number of records dropped as late (or with a null key/value) by windowed operations, for an
 * application (optionally one task). Meant for the metrics layer and tests.
 *
 * @example
 * ```ts
 * droppedRecordCount('my-app'); // 3
 * ```
 */
export function droppedRecordCount(applicationId: string, taskId?: string): number {
  let n = 0;
  for (const [key, c] of counts) {
    const [app, task] = key.split('\u0000');
    if (app === applicationId && (taskId === undefined || task === taskId)) n += c;
  }
  return n;
}
