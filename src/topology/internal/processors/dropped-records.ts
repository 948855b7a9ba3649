import type { ProcessorContext } from '../../../processor/processor-context.ts';
import type { StreamRecord } from '../../../processor/record.ts';

/**
 * Counts a record a windowed operation skipped — late for its window (Kafka Streams' `dropped-records` task
 * sensor, through the context: the runtime exports it as `millrace_dropped_records_total`, the test driver
 * as `droppedRecordCount()`) — and, when `lateChild` is set, forwards it there (a sink to the configured
 * late-records topic).
 */
export function dropRecord(
  context: ProcessorContext<unknown, unknown>,
  _node: string,
  record: StreamRecord<unknown, unknown>,
  lateChild: string | undefined,
): void | Promise<void> {
  context.recordDropped();
  return lateChild === undefined ? undefined : context.forward(record, lateChild);
}
