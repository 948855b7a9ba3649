import type { Buffer } from 'node:buffer';
import { compressionsAlgorithmsByBitmask } from '@platformatic/kafka';
import { MillraceError } from '../../errors/index.ts';
import type { ChangelogRecords, ConsumedRecord } from '../types.ts';
import {
  AbortedTransactions,
  CONTROL_TYPE_ABORT,
  IS_CONTROL,
  IS_TRANSACTIONAL,
  type AbortedTransaction,
} from './record-batches.ts';

/**
 * Decodes the raw record batches of one fetched partition straight into {@link ChangelogRecords}: keys and
 * values are subarrays of the fetch response (no copy), offsets are numbers relative to the fetch offset, and
 * there is no object per record. Restore reads only key, value and offset, so headers, timestamps and
 * attributes are skipped by the record's length prefix. It keeps exactly what {@link decodePartition} over the
 * library's parsed batches keeps, minus null keys (test: changelog-decoder.test.ts, a property test against
 * the library's parser): batches ending before the fetch offset and records before it are skipped, control
 * batches are skipped (an ABORT marker ends its producer's aborted transaction), and under read_committed the
 * transactional batches of aborted transactions are dropped as Java's fetcher does.
 *
 * RecordBatch v2 layout (offsets from the batch start; the batch occupies 12 + batchLength bytes):
 *
 * ```
 * 0 baseOffset INT64 | 8 batchLength INT32 | 12 partitionLeaderEpoch INT32 | 16 magic INT8 | 17 crc UINT32
 * 21 attributes INT16 | 23 lastOffsetDelta INT32 | 27 firstTimestamp INT64 | 35 maxTimestamp INT64
 * 43 producerId INT64 | 51 producerEpoch INT16 | 53 baseSequence INT32 | 57 recordCount INT32 | 61 records
 * record: length VARINT | attributes INT8 | timestampDelta VARLONG | offsetDelta VARINT
 *   | keyLength VARINT (-1 = null) | key | valueLength VARINT (-1 = null) | value | headers …
 * ```
 *
 * The records of a compressed batch (attributes bits 0-2) are decompressed by the library's codec first.
 */

const BATCH_HEAD = 12;
const RECORDS_START = 61;
const COMPRESSION_MASK = 0x07;

/** The decoded records of one partition and the next offset to fetch. */
export interface DecodedChangelog {
  readonly records: ChangelogRecords;
  readonly nextOffset: bigint;
}

/** Read position of the varint helpers below (module state: decoding is synchronous and not re-entered). */
let pos = 0;

/** A zigzag VARINT (32-bit) at `pos`: at most five bytes, the fifth adding the top four bits. */
function readVarInt(buf: Buffer): number {
  let byte = buf[pos++]!;
  let raw = byte & 0x7f;
  if (byte >= 0x80) {
    byte = buf[pos++]!;
    raw |= (byte & 0x7f) << 7;
    if (byte >= 0x80) {
      byte = buf[pos++]!;
      raw |= (byte & 0x7f) << 14;
      if (byte >= 0x80) {
        byte = buf[pos++]!;
        raw |= (byte & 0x7f) << 21;
        if (byte >= 0x80) raw |= (buf[pos++]! & 0x0f) << 28;
      }
    }
  }
  // Zigzag: 0 → 0, 1 → -1, 2 → 1, … over the 32 raw bits.
  return (raw >>> 1) ^ -(raw & 1);
}

/** Skips a VARINT or VARLONG at `pos`. */
function skipVarInt(buf: Buffer): void {
  while ((buf[pos++]! & 0x80) !== 0);
}

/**
 * Decodes `bytes` (a partition's COMPACT_RECORDS payload, null when the broker sent none) into changelog
 * records at or after `fetchOffset`.
 */
export function decodeChangelogPartition(
  topic: string,
  partition: number,
  fetchOffset: bigint,
  bytes: Buffer | null,
  abortedTransactions: readonly AbortedTransaction[] | null,
  readCommitted: boolean,
): DecodedChangelog {
  const records = emptyChangelogRecords(topic, partition, fetchOffset);
  let nextOffset = fetchOffset;
  if (bytes === null) return { records, nextOffset };
  const aborted = new AbortedTransactions(abortedTransactions, readCommitted);
  let start = 0;
  while (
    bytes.length - start >= BATCH_HEAD &&
    bytes.length - start - BATCH_HEAD >= bytes.readInt32BE(start + 8)
  ) {
    const batchEnd = start + BATCH_HEAD + bytes.readInt32BE(start + 8);
    const batchStart = start;
    start = batchEnd;
    const baseOffset = bytes.readBigInt64BE(batchStart);
    const lastOffset = baseOffset + BigInt(bytes.readInt32BE(batchStart + 23));
    if (lastOffset < fetchOffset) continue;
    if (lastOffset + 1n > nextOffset) nextOffset = lastOffset + 1n;
    const magic = bytes.readInt8(batchStart + 16);
    if (magic !== 2) {
      throw new MillraceError(
        'MR_KAFKA_CONSUME',
        `record batch of ${topic}-${partition} at offset ${baseOffset} has magic ${magic}, not 2: this client reads only Kafka's v2 record format`,
      );
    }
    const attributes = bytes.readInt16BE(batchStart + 21);
    aborted.reach(lastOffset);
    const control = (attributes & IS_CONTROL) !== 0;
    const transactional = (attributes & IS_TRANSACTIONAL) !== 0;
    if (!control && !(transactional && aborted.any)) {
      appendRecords(records, bytes, batchStart, batchEnd, attributes, baseOffset, fetchOffset);
      continue;
    }
    const producerId = bytes.readBigInt64BE(batchStart + 43);
    if (control) {
      if (isAbortMarker(bytes, batchStart, batchEnd, attributes)) aborted.ended(producerId);
      continue;
    }
    if (!aborted.isAborted(producerId))
      appendRecords(records, bytes, batchStart, batchEnd, attributes, baseOffset, fetchOffset);
  }
  return { records, nextOffset };
}

/** The records of one batch, decompressed when needed: the buffer, where they start and end, how many. */
function recordsOf(
  bytes: Buffer,
  batchStart: number,
  batchEnd: number,
  attributes: number,
): { buf: Buffer; from: number; to: number; count: number } {
  const count = bytes.readInt32BE(batchStart + 57);
  const codec = attributes & COMPRESSION_MASK;
  if (codec === 0) return { buf: bytes, from: batchStart + RECORDS_START, to: batchEnd, count };
  const algorithm = compressionsAlgorithmsByBitmask[codec];
  if (algorithm === undefined) {
    throw new MillraceError(
      'MR_KAFKA_CONSUME',
      `record batch with unknown compression codec ${codec}: use a Kafka client library version that supports it`,
    );
  }
  const buf = algorithm.decompressSync(bytes.subarray(batchStart + RECORDS_START, batchEnd)) as Buffer;
  return { buf, from: 0, to: buf.length, count };
}

/** Whether a control batch's first record is an ABORT marker (key: int16 version, int16 type). */
function isAbortMarker(bytes: Buffer, batchStart: number, batchEnd: number, attributes: number): boolean {
  const { buf, from, count } = recordsOf(bytes, batchStart, batchEnd, attributes);
  if (count < 1) return false;
  pos = from;
  skipVarInt(buf); // length
  pos += 1; // attributes
  skipVarInt(buf); // timestampDelta
  skipVarInt(buf); // offsetDelta
  const keyLength = readVarInt(buf);
  return keyLength >= 4 && buf.readInt16BE(pos + 2) === CONTROL_TYPE_ABORT;
}

function appendRecords(
  out: ChangelogRecords,
  bytes: Buffer,
  batchStart: number,
  batchEnd: number,
  attributes: number,
  baseOffset: bigint,
  fetchOffset: bigint,
): void {
  const { buf, from, count } = recordsOf(bytes, batchStart, batchEnd, attributes);
  // Offsets of this batch relative to the fetch offset: exact as numbers (a fetch spans far less than 2^53).
  const base = Number(baseOffset - fetchOffset);
  const { offsetDeltas, keys, values } = out;
  const memory = buf.buffer;
  const base0 = buf.byteOffset;
  pos = from;
  for (let i = 0; i < count; i++) {
    const length = readVarInt(buf);
    const end = pos + length;
    pos += 1; // attributes
    skipVarInt(buf); // timestampDelta
    const delta = base + readVarInt(buf);
    const keyLength = readVarInt(buf);
    if (keyLength < 0 || delta < 0) {
      // A null key cannot be restored; a record before the fetch offset was restored already.
      pos = end;
      continue;
    }
    // Plain Uint8Array views: the builtin constructor, much cheaper than Buffer#subarray (a JS subclass).
    const key = new Uint8Array(memory, base0 + pos, keyLength);
    pos += keyLength;
    const valueLength = readVarInt(buf);
    offsetDeltas.push(delta);
    keys.push(key);
    values.push(valueLength < 0 ? null : new Uint8Array(memory, base0 + pos, valueLength));
    pos = end;
  }
}

/** The keyed records of one partition, decoded by the library, as {@link ChangelogRecords}. */
export function toChangelogRecords(
  topic: string,
  partition: number,
  fetchOffset: bigint,
  records: readonly ConsumedRecord[],
): ChangelogRecords {
  const out = emptyChangelogRecords(topic, partition, fetchOffset);
  for (const r of records) {
    if (r.key === null) continue;
    out.offsetDeltas.push(Number(r.offset - fetchOffset));
    out.keys.push(r.key);
    out.values.push(r.value);
  }
  return out;
}

/** No records yet; offsets will be relative to `baseOffset`. */
export function emptyChangelogRecords(
  topic: string,
  partition: number,
  baseOffset: bigint,
): ChangelogRecords {
  return { topic, partition, baseOffset, offsetDeltas: [], keys: [], values: [] };
}
