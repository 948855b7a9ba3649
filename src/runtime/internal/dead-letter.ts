/**
 * Dead-letter records. A record that cannot be deserialized, or whose processing throws, is sent to the
 * DLQ topic `<source topic><dlq.topic.suffix>` (default `.dlq`) unchanged — same key, value and headers —
 * with headers that say why (the names follow KIP-1034's `__streams.errors.*` in Millrace's own prefix):
 *
 * | header                      | value                                                   |
 * | --------------------------- | ------------------------------------------------------- |
 * | `millrace.error.code`       | the MillraceError code, e.g. `MR_SERDE`                 |
 * | `millrace.error.stage`      | `deserialization` or `processing`                       |
 * | `millrace.error.message`    | the error message (at most 1000 UTF-8 bytes)            |
 * | `millrace.error.node`       | the processor node that failed, when known              |
 * | `millrace.source.topic`     | the input topic                                         |
 * | `millrace.source.partition` | the input partition, decimal                            |
 * | `millrace.source.offset`    | the input offset, decimal                               |
 * | `millrace.source.timestamp` | the input timestamp (epoch ms), decimal                 |
 */
export interface DeadLetter {
  topic: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: [string, Buffer][];
  timestamp: bigint;
}

/** What failed. */
export interface DeadLetterCause {
  code: string;
  stage: 'deserialization' | 'processing';
  message: string;
  node?: string;
}

/** The source record a dead letter carries. */
export interface DeadLetterSource {
  topic: string;
  partition: number;
  offset: number;
  timestamp: number;
  key: Uint8Array | null;
  value: Uint8Array | null;
  headers: readonly { key: string; value: Uint8Array | null }[];
}

/** Builds the DLQ record of `source`. */
export function deadLetter(source: DeadLetterSource, cause: DeadLetterCause, suffix: string): DeadLetter {
  const h = (k: string, v: string): [string, Buffer] => [k, Buffer.from(v)];
  const headers: [string, Buffer][] = source.headers.map((x) => [
    x.key,
    x.value === null ? Buffer.alloc(0) : Buffer.from(x.value),
  ]);
  headers.push(
    h('millrace.error.code', cause.code),
    h('millrace.error.stage', cause.stage),
    h('millrace.error.message', truncateUtf8(cause.message, 1000)),
    h('millrace.source.topic', source.topic),
    h('millrace.source.partition', String(source.partition)),
    h('millrace.source.offset', String(source.offset)),
    h('millrace.source.timestamp', String(source.timestamp)),
  );
  if (cause.node) headers.push(h('millrace.error.node', cause.node));
  return {
    topic: `${source.topic}${suffix}`,
    key: source.key === null ? null : Buffer.from(source.key),
    value: source.value === null ? null : Buffer.from(source.value),
    headers,
    timestamp: BigInt(source.timestamp),
  };
}

function truncateUtf8(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text);
  if (bytes.length <= maxBytes) return text;
  return `${bytes
    .subarray(0, maxBytes - 3)
    .toString('utf8')
    .replace(/\uFFFD$/, '')}...`;
}
