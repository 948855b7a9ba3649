import type { OffsetAndMetadata, TopicPartition } from '../../kafka/index.ts';

/**
 * A task's stream time, kept in the metadata string of its committed input offsets, so that a new owner
 * (restart, rebalance, task migration) resumes it: windows closed before stay closed, and stream-time
 * punctuations and retention do not start over. Kafka Streams' format (StreamTask `encodeTimestamp`), so
 * the string is the one Kafka Streams commits:
 *
 *   base64( version: int8 = 1 | time: int64 big-endian, epoch ms )     9 bytes → 12 characters
 *
 * e.g. 1700000000000 → bytes 01 00 00 01 8b cf e5 68 00 → "AQAAAYvP5WgA"; -1 (no time yet) is encoded
 * as such. Kafka Streams keeps one time per input partition; Millrace keeps one per task (the largest of
 * its partitions') and commits it with each of the task's input offsets.
 *
 * Decoding also reads version 2 (Kafka Streams 3.3+ `TopicPartitionMetadata`: the same time followed by
 * processor metadata). An empty, unknown or malformed string, or a negative time, is no time (undefined),
 * as Kafka Streams reads it: the reset tool commits offsets without metadata, and so clears the time.
 */
export const STREAM_TIME_METADATA_VERSION = 1;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The metadata string of a stream time (epoch ms; -1 when unknown). */
export function encodeStreamTime(timeMs: number): string {
  const bytes = Buffer.alloc(9);
  bytes.writeInt8(STREAM_TIME_METADATA_VERSION, 0);
  bytes.writeBigInt64BE(BigInt(Math.trunc(timeMs)), 1);
  return bytes.toString('base64');
}

/** The stream time of a metadata string, or undefined when it holds none. */
export function decodeStreamTime(metadata: string | null | undefined): number | undefined {
  if (!metadata || !BASE64.test(metadata)) return undefined;
  const bytes = Buffer.from(metadata, 'base64');
  const version = bytes[0];
  if (bytes.length < 9 || (version === 1 && bytes.length !== 9) || (version !== 1 && version !== 2))
    return undefined;
  const time = bytes.readBigInt64BE(1);
  return time < 0n || time > BigInt(Number.MAX_SAFE_INTEGER) ? undefined : Number(time);
}

/** The stream time a task resumes from: the largest committed with its input partitions, if any. */
export function committedStreamTime(
  committed: readonly OffsetAndMetadata[],
  partitions: readonly TopicPartition[],
): number | undefined {
  let time: number | undefined;
  for (const o of committed) {
    if (!partitions.some((p) => p.topic === o.topic && p.partition === o.partition)) continue;
    const t = decodeStreamTime(o.metadata);
    if (t !== undefined && (time === undefined || t > time)) time = t;
  }
  return time;
}
