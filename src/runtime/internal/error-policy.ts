import { isMillraceError } from '../../errors/index.ts';
import type { SourceRecord } from '../../processor/index.ts';
import type { DeadLetterCause } from './dead-letter.ts';

/** What to do with a record that failed: Kafka Streams' handler responses (KIP-1033/1034). */
export type ErrorResponse = 'continue' | 'fail' | 'dlq';

/**
 * Classifies a failure of `task.process(record)`: a deserialization failure (MR_SERDE raised for the source
 * record, before any processor ran) or a processing failure (anything else, with the failing node).
 */
export function classifyFailure(err: unknown, record: SourceRecord): DeadLetterCause {
  const message = err instanceof Error ? err.message : String(err);
  if (isMillraceError(err)) {
    const details = err.details ?? {};
    const isSource =
      err.code === 'MR_SERDE' && details.topic === record.topic && details.offset === record.offset;
    return {
      code: err.code,
      stage: isSource ? 'deserialization' : 'processing',
      message,
      ...(typeof details.node === 'string' ? { node: details.node } : {}),
    };
  }
  return { code: 'MR_TASK_PROCESS', stage: 'processing', message };
}
