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
  const message = withCauses(err);
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

/**
 * The error's message followed by those of its causes ("…: caused by …"): the wrapper says where (task,
 * offset), the cause says why (invalid JSON, which schema rule) — the DLQ header needs both.
 */
function withCauses(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err;
  for (let depth = 0; e !== undefined && e !== null && depth < 4; depth++) {
    const m = e instanceof Error ? e.message : String(e);
    if (!parts.some((p) => p.includes(m))) parts.push(m);
    e = e instanceof Error ? e.cause : undefined;
  }
  return parts.join(': caused by ');
}
