import { Buffer } from 'node:buffer';
import type { RecordsBatch } from '@platformatic/kafka';
import type { ConsumedRecord, RecordHeader } from '../types.ts';

// Record batch attributes (Kafka's DefaultRecordBatch, magic v2): bits 0-2 compression codec, bit 3 timestamp
// type (1 = LogAppendTime), bit 4 isTransactional, bit 5 isControl. A control batch holds one control record
// whose key is int16 version + int16 type (0 = ABORT, 1 = COMMIT).
const TIMESTAMP_TYPE_LOG_APPEND = 0x08;
export const IS_TRANSACTIONAL = 0x10;
export const IS_CONTROL = 0x20;
export const CONTROL_TYPE_ABORT = 0;

const EMPTY = Buffer.alloc(0);

/** An aborted transaction as listed in a read_committed fetch response. */
export interface AbortedTransaction {
  readonly producerId: bigint;
  readonly firstOffset: bigint;
}

/**
 * Java's read_committed filter of aborted transactions (CompletedFetch.nextFetchedRecord), fed the batches of
 * one partition in offset order: aborted transactions are taken in `firstOffset` order; a producer id becomes
 * aborted once a batch's last offset reaches its transaction's first offset, and stays so until its ABORT
 * marker. Without read_committed nothing is ever aborted. This also covers responses cut before the marker.
 */
export class AbortedTransactions {
  readonly #pending: AbortedTransaction[];
  readonly #producers = new Set<bigint>();

  constructor(listed: readonly AbortedTransaction[] | null, readCommitted: boolean) {
    this.#pending = readCommitted
      ? [...(listed ?? [])].sort((a, b) => cmp(a.firstOffset, b.firstOffset))
      : [];
  }

  /** Before a batch's records: the producers whose aborted transaction begins by `lastOffset` are aborted. */
  reach(lastOffset: bigint): void {
    while (this.#pending.length > 0 && this.#pending[0]!.firstOffset <= lastOffset)
      this.#producers.add(this.#pending.shift()!.producerId);
  }

  /** Whether any producer is aborted now (checked before reading a batch's producer id). */
  get any(): boolean {
    return this.#producers.size > 0;
  }

  /** Whether the transactional batches of `producerId` are dropped now. */
  isAborted(producerId: bigint): boolean {
    return this.#producers.has(producerId);
  }

  /** An ABORT marker of `producerId`: its aborted transaction ends there. */
  ended(producerId: bigint): void {
    this.#producers.delete(producerId);
  }
}

/** The records of one fetched partition and the next offset to fetch. */
export interface DecodedPartition {
  readonly records: ConsumedRecord[];
  readonly nextOffset: bigint;
}

/**
 * Turns fetched record batches of one partition into records at or after `fetchOffset`, and the next fetch offset.
 *
 * Under read_committed it drops aborted transactional batches exactly as Java's fetcher does
 * (CompletedFetch.nextFetchedRecord): aborted transactions are taken in `firstOffset` order; a producer id becomes
 * "aborted" once a batch's last offset reaches the transaction's first offset; its transactional batches are
 * skipped until its ABORT marker. This also covers responses cut before the marker, which the library's own
 * filter lets through.
 */
export function decodePartition(
  topic: string,
  partition: number,
  fetchOffset: bigint,
  batches: readonly RecordsBatch[],
  abortedTransactions: readonly AbortedTransaction[] | null,
  readCommitted: boolean,
): DecodedPartition {
  const records: ConsumedRecord[] = [];
  let nextOffset = fetchOffset;
  const aborted = new AbortedTransactions(abortedTransactions, readCommitted);

  for (const batch of batches) {
    const lastOffset = batch.firstOffset + BigInt(batch.lastOffsetDelta);
    if (lastOffset < fetchOffset) continue;
    if (lastOffset + 1n > nextOffset) nextOffset = lastOffset + 1n;

    aborted.reach(lastOffset);
    if ((batch.attributes & IS_CONTROL) !== 0) {
      const key = batch.records[0]?.key;
      if (key && key.length >= 4 && key.readInt16BE(2) === CONTROL_TYPE_ABORT)
        aborted.ended(batch.producerId);
      continue;
    }
    if ((batch.attributes & IS_TRANSACTIONAL) !== 0 && aborted.isAborted(batch.producerId)) continue;

    const logAppendTime = (batch.attributes & TIMESTAMP_TYPE_LOG_APPEND) !== 0;
    for (const record of batch.records) {
      const offset = batch.firstOffset + BigInt(record.offsetDelta);
      if (offset < fetchOffset) continue;
      records.push({
        topic,
        partition,
        offset,
        key: record.key,
        value: record.value,
        headers:
          record.headers.length === 0
            ? NO_HEADERS
            : record.headers.map(([k, v]): RecordHeader => [
                k === null ? '' : k.toString('utf8'),
                v ?? EMPTY,
              ]),
        timestamp: logAppendTime ? batch.maxTimestamp : batch.firstTimestamp + record.timestampDelta,
        timestampType: logAppendTime ? 'log-append-time' : 'create-time',
        leaderEpoch: batch.partitionLeaderEpoch,
      });
    }
  }
  return { records, nextOffset };
}

/** Shared by every record without headers (most): never mutated. */
const NO_HEADERS: readonly RecordHeader[] = Object.freeze([]);

function cmp(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
