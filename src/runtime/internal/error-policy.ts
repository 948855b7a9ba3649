import type { StreamsConfig } from '../../config/index.ts';
import { isMillraceError } from '../../errors/index.ts';
import type { SourceRecord } from '../../processor/index.ts';
import type { StreamsMetrics } from '../streams-metrics.ts';
import { deadLetter, type DeadLetterCause } from './dead-letter.ts';
import type { OutputCollector } from './output-collector.ts';

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

/** What {@link routeFailure} needs from its thread. */
export interface FailureRouting {
  config: StreamsConfig;
  metrics: StreamsMetrics;
  log: (level: 'warn', message: string) => void;
}

/**
 * Applies the configured handler to a record whose processing threw: `fail` rethrows (the thread stops),
 * `dlq` queues a dead letter with the task's outputs (so under exactly_once_v2 it commits with them),
 * `continue` logs and skips. Either way the record counts as consumed.
 */
export function routeFailure(
  r: FailureRouting,
  output: OutputCollector,
  taskId: string,
  record: SourceRecord,
  err: unknown,
): void {
  const cause = classifyFailure(err, record);
  const c = r.config;
  const response =
    cause.stage === 'deserialization'
      ? c['deserialization.exception.handler']
      : c['processing.exception.handler'];
  if (response === 'fail') throw err;
  const where = `${record.topic}-${record.partition}@${record.offset}`;
  if (response === 'dlq') {
    output.add(taskId, 'dlq', deadLetter(record, cause, c['dlq.topic.suffix']));
    r.metrics.deadLettered[cause.stage]++;
    r.log(
      'warn',
      `${cause.stage} error on ${where} (${cause.code}) sent to ${record.topic}${c['dlq.topic.suffix']}`,
    );
  } else {
    r.metrics.skipped[cause.stage]++;
    r.log('warn', `${cause.stage} error on ${where} (${cause.code}) skipped: ${cause.message}`);
  }
}
