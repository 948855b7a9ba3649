import { Buffer } from 'node:buffer';
import {
  Consumer,
  createRecordsBatch,
  fetchV17,
  Reader,
  readRecordsBatches,
  ResponseError,
  Writer,
} from '@platformatic/kafka';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { installRawFetchParser, parseRawFetchResponse } from '../../../src/kafka/internal/raw-fetch.ts';

interface PartitionSpec {
  partitionIndex: number;
  errorCode: number;
  highWatermark: bigint;
  aborted: { producerId: bigint; firstOffset: bigint }[] | null;
  /** null: no records (COMPACT_RECORDS 0); []: empty (1); else those values in one batch. */
  values: string[] | null;
  tags: { diverging?: [number, bigint]; leader?: [number, number]; snapshot?: [bigint, number] };
}

/** A Fetch v17 response body (after the response header) as a broker writes it. */
function responseBytes(topics: { id: string; partitions: PartitionSpec[] }[], endpoints: boolean): Buffer {
  const w = Writer.create().appendInt32(5).appendInt16(0).appendInt32(77);
  w.appendArray(topics, (w, t) => {
    w.appendUUID(t.id).appendArray(
      t.partitions,
      (w, p) => {
        w.appendInt32(p.partitionIndex)
          .appendInt16(p.errorCode)
          .appendInt64(p.highWatermark)
          .appendInt64(p.highWatermark - 1n)
          .appendInt64(0n)
          .appendArray(p.aborted, (w, a) => w.appendInt64(a.producerId).appendInt64(a.firstOffset))
          .appendInt32(-1);
        if (p.values === null) w.appendUnsignedVarInt(0);
        else {
          const batch =
            p.values.length === 0
              ? Buffer.alloc(0)
              : Buffer.from(
                  createRecordsBatch(
                    p.values.map((v) => ({
                      topic: 't',
                      key: Buffer.from(v),
                      value: Buffer.from(v),
                      headers: new Map(),
                    })),
                  ).buffer,
                );
          w.appendUnsignedVarInt(batch.length + 1).append(batch);
        }
        const tags: [number, Writer][] = [];
        if (p.tags.diverging)
          tags.push([0, Writer.create().appendInt32(p.tags.diverging[0]).appendInt64(p.tags.diverging[1])]);
        if (p.tags.leader)
          tags.push([1, Writer.create().appendInt32(p.tags.leader[0]).appendInt32(p.tags.leader[1])]);
        if (p.tags.snapshot)
          tags.push([2, Writer.create().appendInt64(p.tags.snapshot[0]).appendInt32(p.tags.snapshot[1])]);
        w.appendUnsignedVarInt(tags.length);
        for (const [tag, body] of tags)
          w.appendUnsignedVarInt(tag).appendUnsignedVarInt(body.length).append(body.buffer);
      },
      true,
      false,
    );
  });
  if (endpoints) {
    const body = Writer.create().appendArray([{ nodeId: 1, host: 'h', port: 9092, rack: null }], (w, e) =>
      w.appendInt32(e.nodeId).appendString(e.host).appendInt32(e.port).appendString(e.rack),
    );
    w.appendUnsignedVarInt(1).appendUnsignedVarInt(0).appendUnsignedVarInt(body.length).append(body.buffer);
  } else w.appendUnsignedVarInt(0);
  return w.buffer;
}

/** The bytes split into socket-sized chunks (a Writer keeps appended Buffers apart), as a connection parses them. */
function chunked(bytes: Buffer, size: number): Reader {
  const writer = Writer.create();
  for (let i = 0; i < bytes.length; i += size) writer.append(bytes.subarray(i, i + size));
  const reader = Reader.from(writer);
  expect(reader.buffer.buffers.length).toBe(Math.ceil(bytes.length / size));
  return reader;
}

type Parsed = { responses: { partitions: Record<string, unknown>[] }[] };

/** The raw response with each partition's raw bytes parsed by the library: must equal the library's parse. */
function normalized(raw: Parsed): unknown {
  for (const t of raw.responses) {
    for (const p of t.partitions) {
      const bytes = p.rawRecords as Buffer | null;
      p.records = bytes === null ? null : readRecordsBatches(Reader.from(bytes));
      delete p.rawRecords;
    }
  }
  return raw;
}

const partitionSpec: fc.Arbitrary<PartitionSpec> = fc.record({
  partitionIndex: fc.nat(20),
  errorCode: fc.constant(0),
  highWatermark: fc.bigInt({ min: 1n, max: 1n << 40n }),
  aborted: fc.option(
    fc.array(
      fc.record({
        producerId: fc.bigInt({ min: 0n, max: 99n }),
        firstOffset: fc.bigInt({ min: 0n, max: 99n }),
      }),
      { maxLength: 2 },
    ),
    { nil: null },
  ),
  values: fc.option(fc.array(fc.string({ maxLength: 40 }), { maxLength: 5 }), { nil: null }),
  tags: fc.record(
    {
      diverging: fc.tuple(fc.nat(9), fc.bigInt({ min: 0n, max: 99n })),
      leader: fc.tuple(fc.nat(9), fc.nat(9)),
      snapshot: fc.tuple(fc.bigInt({ min: 0n, max: 99n }), fc.nat(9)),
    },
    { requiredKeys: [] },
  ),
});

describe('parseRawFetchResponse', () => {
  it('parses every field as the library does, with the record bytes left raw', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ id: fc.uuid(), partitions: fc.array(partitionSpec, { maxLength: 3 }) }), {
          maxLength: 3,
        }),
        fc.boolean(),
        fc.integer({ min: 1, max: 64 }),
        (topics, endpoints, chunk) => {
          const bytes = responseBytes(topics, endpoints);
          const library = fetchV17.parseResponse(1, 1, 17, chunked(bytes, chunk));
          const raw = parseRawFetchResponse(1, 1, 17, chunked(bytes, chunk));
          expect(normalized(raw as unknown as Parsed)).toEqual(library);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('throws a ResponseError carrying the response for a partition error, as the library does', () => {
    const spec: PartitionSpec = {
      partitionIndex: 2,
      errorCode: 1,
      highWatermark: 5n,
      aborted: null,
      values: ['a'],
      tags: {},
    };
    const bytes = responseBytes([{ id: '00000000-0000-0000-0000-000000000001', partitions: [spec] }], false);
    let caught: unknown;
    try {
      parseRawFetchResponse(1, 1, 17, chunked(bytes, 7));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ResponseError);
    expect((caught as ResponseError).response).toMatchObject({
      responses: [{ partitions: [{ partitionIndex: 2, errorCode: 1 }] }],
    });
  });
});

describe('installRawFetchParser', () => {
  it('finds the library API lookup of a consumer', async () => {
    const consumer = new Consumer({
      clientId: 'raw-fetch-test',
      bootstrapBrokers: ['127.0.0.1:1'],
      groupId: 'g',
    });
    try {
      expect(installRawFetchParser(consumer)).toBe(true);
    } finally {
      await consumer.close(true);
    }
  });
});
