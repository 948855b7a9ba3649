import type { Buffer } from 'node:buffer';
import { fetchV17, readKnownTaggedFields, ResponseError, type Reader } from '@platformatic/kafka';
import { apiFunction, overrideApi } from './api-override.ts';

/**
 * A Fetch v17 response parser that leaves each partition's record batches as raw bytes
 * (`rawRecords`, one contiguous Buffer; `records` stays undefined), decoded later by whoever reads them:
 * {@link decodeChangelogPartition} for restore, the library's own `readRecordsBatches` otherwise.
 *
 * Why: the library decodes every record into an object (with a headers array and a Buffer per key and
 * value) while the response is parsed, and reads them from a DynamicBuffer made of the socket's chunks,
 * which locates its chunk on every read; this was about a quarter of the restore's main thread. Everything
 * but the records is parsed exactly as the library's `fetchV17.parseResponse` does, errors included (a
 * partition error throws a ResponseError carrying the response).
 *
 * Layout (Kafka protocol, flexible version):
 *
 * ```
 * throttle_time_ms INT32 | error_code INT16 | session_id INT32
 * [responses]: topic_id UUID
 *   [partitions]: partition_index INT32 | error_code INT16 | high_watermark INT64 | last_stable_offset INT64
 *     | log_start_offset INT64 | [aborted_transactions]: producer_id INT64 | first_offset INT64 | TAG_BUFFER
 *     | preferred_read_replica INT32 | records COMPACT_RECORDS | TAG_BUFFER (0: diverging_epoch,
 *     1: current_leader, 2: snapshot_id)
 *   TAG_BUFFER
 * node_endpoints (TAG_BUFFER 0)
 * ```
 */

/** One partition of a raw Fetch response (the library's partition shape, records left as bytes). */
export interface RawFetchPartition {
  partitionIndex: number;
  errorCode: number;
  highWatermark: bigint;
  lastStableOffset: bigint;
  logStartOffset: bigint;
  divergingEpoch: { epoch: number; endOffset: bigint };
  currentLeader: { leaderId: number; leaderEpoch: number };
  snapshotId: { endOffset: bigint; epoch: number };
  abortedTransactions: { producerId: bigint; firstOffset: bigint }[] | null;
  preferredReadReplica: number;
  /** The COMPACT_RECORDS payload: null when the broker sent none. */
  rawRecords: Buffer | null;
}

export interface RawFetchResponse {
  throttleTimeMs: number;
  errorCode: number;
  sessionId: number;
  nodeEndpoints: { nodeId: number; host: string; port: number; rack: string | null }[];
  responses: { topicId: string; partitions: RawFetchPartition[] }[];
}

export function parseRawFetchResponse(
  _correlationId: number,
  apiKey: number,
  apiVersion: number,
  reader: Reader,
): RawFetchResponse {
  const errors: [string, [number, null]][] = [];
  const throttleTimeMs = reader.readInt32();
  const errorCode = reader.readInt16();
  if (errorCode !== 0) errors.push(['', [errorCode, null]]);
  const response: RawFetchResponse = {
    throttleTimeMs,
    errorCode,
    sessionId: reader.readInt32(),
    nodeEndpoints: [],
    responses: reader.readArray((r, i) => ({
      topicId: r.readUUID(),
      partitions: r.readArray(
        (r, j) => {
          const partition: RawFetchPartition = {
            partitionIndex: r.readInt32(),
            errorCode: r.readInt16(),
            highWatermark: r.readInt64(),
            lastStableOffset: r.readInt64(),
            logStartOffset: r.readInt64(),
            divergingEpoch: { epoch: -1, endOffset: -1n },
            currentLeader: { leaderId: -1, leaderEpoch: -1 },
            snapshotId: { endOffset: -1n, epoch: -1 },
            abortedTransactions: r.readNullableArray((r) => ({
              producerId: r.readInt64(),
              firstOffset: r.readInt64(),
            })),
            preferredReadReplica: r.readInt32(),
            rawRecords: null,
          };
          if (partition.errorCode !== 0)
            errors.push([`/responses/${i}/partitions/${j}`, [partition.errorCode, null]]);
          // COMPACT_RECORDS: uvarint(size + 1), 0 = null. `slice` of the response's chunk list is a view when
          // the bytes lie in one socket chunk and one copy otherwise.
          const size = r.readUnsignedVarInt();
          if (size > 0) {
            partition.rawRecords = r.buffer.slice(r.position, r.position + size - 1);
            r.skip(size - 1);
          }
          readKnownTaggedFields(r, {
            0: (r) => {
              partition.divergingEpoch = { epoch: r.readInt32(), endOffset: r.readInt64() };
            },
            1: (r) => {
              partition.currentLeader = { leaderId: r.readInt32(), leaderEpoch: r.readInt32() };
            },
            2: (r) => {
              partition.snapshotId = { endOffset: r.readInt64(), epoch: r.readInt32() };
            },
          });
          return partition;
        },
        true,
        false,
      ),
    })),
  };
  readKnownTaggedFields(reader, {
    0: (r) => {
      response.nodeEndpoints = r.readArray((r) => ({
        nodeId: r.readInt32(),
        host: r.readString(),
        port: r.readInt32(),
        rack: r.readNullableString(),
      }));
    },
  });
  if (errors.length > 0) {
    throw new ResponseError(apiKey, apiVersion, Object.fromEntries(errors), response as never);
  }
  return response;
}

/**
 * Makes a library consumer parse Fetch v17 responses with {@link parseRawFetchResponse} (requests are still
 * built by the library). Other versions keep the library's parser, so readers of a response must handle
 * both shapes (`rawRecords` or `records`). Install it before any other override of Fetch on the same client:
 * it recognizes the library's own v17 API function. Returns false when the library's API lookup could not be
 * found (the library parses then).
 */
export function installRawFetchParser(consumer: object): boolean {
  const library: unknown = fetchV17.api;
  const { key, version } = fetchV17.api;
  const raw = apiFunction(key, version, (connection, args, callback) =>
    connection.send(
      key,
      version,
      () => (fetchV17.createRequest as (...a: unknown[]) => unknown)(...args),
      parseRawFetchResponse,
      true,
      true,
      callback,
    ),
  );
  return overrideApi(consumer, 'Fetch', (api) => (api === library ? raw : api));
}
