import { Buffer } from 'node:buffer';
import { crc32c, produceV11, Writer } from '@platformatic/kafka';
import { apiFunction, overrideApi } from './api-override.ts';

/**
 * A Produce v11 request body (everything after the request header) written in one pass into one Buffer.
 *
 * Why: @platformatic/kafka builds each record with its own `Writer` (a DynamicBuffer of small Buffers per
 * field), then concatenates them twice (once for the CRC, once for the socket). Producing is a third of the
 * stream thread's CPU when every input record yields three output records (sink + two changelogs); this
 * encoder computes every size first, allocates once and writes in place. The bytes are identical to the
 * library's `produceV11.createRequest` for uncompressed batches (test: produce-encoder.test.ts); compressed
 * batches keep going through the library.
 *
 * Layout (Kafka protocol, flexible version: compact strings/arrays are `uvarint(length + 1)`, TAG_BUFFER = 0):
 *
 * ```
 * transactional_id COMPACT_NULLABLE_STRING | acks INT16 | timeout_ms INT32
 * [topic_data]: name COMPACT_STRING
 *   [partition_data]: index INT32 | records COMPACT_RECORDS (uvarint(batch bytes + 1) + batch) | TAG_BUFFER
 *   TAG_BUFFER
 * TAG_BUFFER
 *
 * batch (RecordBatch v2): baseOffset INT64 (0) | batchLength INT32 (bytes after this field)
 *   | partitionLeaderEpoch INT32 | magic INT8 (2) | crc UINT32 (CRC-32C of attributes … end)
 *   | attributes INT16 (bit 4: transactional) | lastOffsetDelta INT32 | firstTimestamp INT64 | maxTimestamp INT64
 *   | producerId INT64 | producerEpoch INT16 | baseSequence INT32 | recordCount INT32 | records
 * record: length VARINT | attributes INT8 (0) | timestampDelta VARLONG | offsetDelta VARINT
 *   | keyLength VARINT (-1 = null) | key | valueLength VARINT | value
 *   | headerCount VARINT | [headerKeyLength VARINT | headerKey | headerValueLength VARINT | headerValue]
 * ```
 */

/** A message as the library's producer hands it to the Produce API (partition and timestamp resolved). */
export interface EncodableMessage {
  topic: string;
  partition?: number;
  key?: Buffer | null;
  value?: Buffer | null;
  timestamp?: bigint;
  headers?: Map<Buffer, Buffer> | Record<string, Buffer>;
}

/** The produce options the library passes to the Produce API. */
export interface ProduceEncodeOptions {
  transactionalId?: string | null;
  producerId?: bigint;
  producerEpoch?: number;
  partitionLeaderEpoch?: number;
  sequences?: { getWithDefault(key: string, fallback: number): number };
}

/** One partition's batch: its messages, each record's body size and timestamp delta, and the batch size. */
interface PartitionPlan {
  partition: number;
  batch: EncodableMessage[];
  sizes: number[];
  deltas: bigint[];
  /** Each record's headers as bytes (computed once, for the size and the write). */
  headers: (readonly HeaderBytes[])[];
  first: bigint;
  max: bigint;
  /** Bytes of the whole RecordBatch, baseOffset included. */
  bytes: number;
}

const MAGIC = 2;
const IS_TRANSACTIONAL = 1 << 4;
/** attributes … recordCount: 2 + 4 + 8 + 8 + 8 + 2 + 4 + 4. */
const BATCH_FIXED_AFTER_CRC = 40;
/** baseOffset + batchLength + partitionLeaderEpoch + magic + crc. */
const BATCH_HEAD = 8 + 4 + 4 + 1 + 4;

export function encodeProduceRequest(
  acks: number,
  timeoutMs: number,
  messages: readonly EncodableMessage[],
  options: ProduceEncodeOptions,
): Buffer {
  const now = BigInt(Date.now());
  // Grouped as the library groups (an object's key order: integer-like keys ascending, then insertion order).
  const topics = groupBy(messages, (m) => m.topic);
  const plan: { topic: Buffer; partitions: PartitionPlan[] }[] = [];
  const txnId = options.transactionalId == null ? null : Buffer.from(options.transactionalId, 'utf8');
  let size = (txnId === null ? 1 : uvarintSize(txnId.length + 1) + txnId.length) + 2 + 4;
  size += uvarintSize(topics.length + 1) + 1;
  for (const [topicName, topicMessages] of topics) {
    const topic = Buffer.from(topicName, 'utf8');
    const partitions: PartitionPlan[] = [];
    size += uvarintSize(topic.length + 1) + topic.length + 1;
    const byPartition = groupBy(topicMessages, (m) => m.partition ?? 0);
    size += uvarintSize(byPartition.length + 1);
    for (const [partition, batch] of byPartition) {
      const sizes = new Array<number>(batch.length);
      const deltas = new Array<bigint>(batch.length);
      const headers = new Array<readonly HeaderBytes[]>(batch.length);
      const first = batch[0]!.timestamp ?? now;
      let max = first;
      let recordsBytes = 0;
      for (let i = 0; i < batch.length; i++) {
        const m = batch[i]!;
        const ts = m.timestamp ?? now;
        if (ts > max) max = ts;
        deltas[i] = ts - first;
        headers[i] = headerBytes(m.headers);
        const body = recordBodySize(m, i, deltas[i]!, headers[i]!);
        sizes[i] = body;
        recordsBytes += varintSize(body) + body;
      }
      const bytes = BATCH_HEAD + BATCH_FIXED_AFTER_CRC + recordsBytes;
      size += 4 + uvarintSize(bytes + 1) + bytes + 1;
      partitions.push({ partition: Number(partition), batch, sizes, deltas, headers, first, max, bytes });
    }
    plan.push({ topic, partitions });
  }

  const out = Buffer.allocUnsafe(size);
  let at = 0;
  if (txnId === null) at = out.writeUInt8(0, at);
  else {
    at = writeUvarint(out, at, txnId.length + 1);
    at += txnId.copy(out, at);
  }
  at = out.writeInt16BE(acks, at);
  at = out.writeInt32BE(timeoutMs, at);
  at = writeUvarint(out, at, plan.length + 1);
  for (const { topic, partitions } of plan) {
    at = writeUvarint(out, at, topic.length + 1);
    at += topic.copy(out, at);
    at = writeUvarint(out, at, partitions.length + 1);
    for (const p of partitions) {
      at = out.writeInt32BE(p.partition, at);
      at = writeUvarint(out, at, p.bytes + 1);
      at = writeBatch(out, at, p, options);
      at = out.writeUInt8(0, at); // partition TAG_BUFFER
    }
    at = out.writeUInt8(0, at); // topic TAG_BUFFER
  }
  at = out.writeUInt8(0, at); // request TAG_BUFFER
  if (at !== size) throw new Error(`produce encoder: wrote ${at} of ${size} bytes (a size rule is wrong)`);
  return out;
}

function writeBatch(out: Buffer, start: number, p: PartitionPlan, options: ProduceEncodeOptions): number {
  const batch = p.batch;
  let at = out.writeBigInt64BE(0n, start);
  at = out.writeInt32BE(p.bytes - 12, at);
  at = out.writeInt32BE(options.partitionLeaderEpoch ?? 0, at);
  at = out.writeInt8(MAGIC, at);
  const crcAt = at;
  at += 4;
  at = out.writeInt16BE(options.transactionalId ? IS_TRANSACTIONAL : 0, at);
  at = out.writeInt32BE(batch.length - 1, at);
  at = out.writeBigInt64BE(p.first, at);
  at = out.writeBigInt64BE(p.max, at);
  at = out.writeBigInt64BE(options.producerId ?? -1n, at);
  at = out.writeInt16BE(options.producerEpoch ?? 0, at);
  at = out.writeInt32BE(options.sequences?.getWithDefault(`${batch[0]!.topic}:${p.partition}`, 0) ?? 0, at);
  at = out.writeInt32BE(batch.length, at);
  for (let i = 0; i < batch.length; i++) {
    const m = batch[i]!;
    at = writeVarint(out, at, p.sizes[i]!);
    at = out.writeInt8(0, at);
    at = writeVarlong(out, at, p.deltas[i]!);
    at = writeVarint(out, at, i);
    at = writeBytes(out, at, m.key);
    at = writeBytes(out, at, m.value);
    const headers = p.headers[i]!;
    at = writeVarint(out, at, headers.length);
    for (const [k, v] of headers) {
      at = writeBytes(out, at, k);
      at = writeBytes(out, at, v);
    }
  }
  out.writeUInt32BE(crc32c(out.subarray(crcAt + 4, at)), crcAt);
  return at;
}

function recordBodySize(
  m: EncodableMessage,
  offsetDelta: number,
  timestampDelta: bigint,
  headers: readonly HeaderBytes[],
): number {
  let size = 1 + varlongSize(timestampDelta) + varintSize(offsetDelta);
  size += bytesSize(m.key) + bytesSize(m.value);
  size += varintSize(headers.length);
  for (const [k, v] of headers) size += bytesSize(k) + bytesSize(v);
  return size;
}

type HeaderBytes = readonly [Buffer, Buffer];

const NO_HEADERS: readonly HeaderBytes[] = [];

/** A message's headers as key and value bytes (a string key of the object form is UTF-8 encoded). */
function headerBytes(headers: EncodableMessage['headers']): readonly HeaderBytes[] {
  if (headers === undefined) return NO_HEADERS;
  if (headers instanceof Map) return [...headers];
  return Object.entries(headers).map(([k, v]) => [Buffer.from(k, 'utf8'), v] as const);
}

function groupBy<T>(items: readonly T[], key: (item: T) => string | number): [string, T[]][] {
  const buckets: Record<string, T[]> = Object.create(null) as Record<string, T[]>;
  for (const item of items) (buckets[key(item)] ||= []).push(item);
  return Object.entries(buckets);
}

function bytesSize(b: Buffer | null | undefined): number {
  return b == null ? 1 : varintSize(b.length) + b.length;
}

function writeBytes(out: Buffer, at: number, b: Buffer | null | undefined): number {
  if (b == null) return writeVarint(out, at, -1);
  at = writeVarint(out, at, b.length);
  return at + b.copy(out, at);
}

function uvarintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

function writeUvarint(out: Buffer, at: number, n: number): number {
  while (n >= 0x80) {
    out[at++] = (n & 0x7f) | 0x80;
    n = Math.floor(n / 128);
  }
  out[at++] = n;
  return at;
}

/** Zigzag of a 32-bit signed integer, as an unsigned number. */
function zigzag32(n: number): number {
  return ((n << 1) ^ (n >> 31)) >>> 0;
}

function varintSize(n: number): number {
  return uvarintSize(zigzag32(n));
}

function writeVarint(out: Buffer, at: number, n: number): number {
  return writeUvarint(out, at, zigzag32(n));
}

/** Zigzag of a 64-bit signed integer. */
function zigzag64(n: bigint): bigint {
  return BigInt.asUintN(64, (n << 1n) ^ (n >> 63n));
}

function varlongSize(n: bigint): number {
  // Timestamp deltas within one batch are small: stay in doubles when they fit exactly.
  if (n >= -0x40000000n && n < 0x40000000n) return uvarintSize(zigzag32(Number(n)));
  let z = zigzag64(n);
  let size = 1;
  while (z >= 0x80n) {
    z >>= 7n;
    size++;
  }
  return size;
}

function writeVarlong(out: Buffer, at: number, n: bigint): number {
  if (n >= -0x40000000n && n < 0x40000000n) return writeUvarint(out, at, zigzag32(Number(n)));
  let z = zigzag64(n);
  while (z >= 0x80n) {
    out[at++] = Number(z & 0x7fn) | 0x80;
    z >>= 7n;
  }
  out[at++] = Number(z);
  return at;
}

/**
 * Makes a library producer encode uncompressed Produce v11 requests with {@link encodeProduceRequest}
 * (responses are still parsed by the library). Other versions and compressed batches are left to the
 * library. Returns false when the library's API lookup could not be found (the library encodes then).
 */
export function installProduceEncoder(producer: object): boolean {
  const { key, version } = produceV11.api;
  const fast = apiFunction(key, version, (connection, args, callback) => {
    const [acks = 1, timeout = 0, messages, options = {}] = args as [
      number | undefined,
      number | undefined,
      EncodableMessage[],
      (ProduceEncodeOptions & { compression?: string }) | undefined,
    ];
    if (options.compression !== undefined && options.compression !== 'none') {
      produceV11.api(connection as never, acks, timeout, messages as never, options as never, callback);
      return;
    }
    connection.send(
      key,
      version,
      () => {
        const writer = Writer.create().append(encodeProduceRequest(acks, timeout, messages, options));
        if (acks === 0) writer.context.noResponse = true;
        return writer;
      },
      produceV11.parseResponse,
      true,
      true,
      callback,
    );
  });
  const library: unknown = produceV11.api;
  return overrideApi(producer, 'Produce', (api) => (api === library ? fast : api));
}
