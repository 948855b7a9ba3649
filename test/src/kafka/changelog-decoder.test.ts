import { Buffer } from 'node:buffer';
import { createRecordsBatch, Reader, readRecordsBatches } from '@platformatic/kafka';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeChangelogPartition,
  toChangelogRecords,
} from '../../../src/kafka/internal/changelog-decoder.ts';
import { decodePartition, type AbortedTransaction } from '../../../src/kafka/internal/record-batches.ts';

interface BatchSpec {
  gap: number;
  producerId: bigint;
  transactional: boolean;
  /** undefined: a data batch; 0: an ABORT marker; 1: a COMMIT marker. */
  control: 0 | 1 | undefined;
  compression: 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';
  records: { key: Buffer | null; value: Buffer | null; headers: Record<string, Buffer> }[];
}

/** The batches as a broker sends them: the library's encoder, then base offset and attributes patched in. */
function encode(specs: readonly BatchSpec[]): { bytes: Buffer; firstOffsets: bigint[] } {
  const parts: Buffer[] = [];
  const firstOffsets: bigint[] = [];
  let next = 0n;
  for (const spec of specs) {
    const controlKey = Buffer.alloc(4);
    if (spec.control !== undefined) controlKey.writeInt16BE(spec.control, 2);
    const messages =
      spec.control !== undefined
        ? [{ topic: 't', key: controlKey, value: Buffer.alloc(6), headers: new Map() }]
        : spec.records.map((r) => ({
            topic: 't',
            key: r.key,
            value: r.value,
            headers: new Map(Object.entries(r.headers).map(([k, v]) => [Buffer.from(k), v])),
          }));
    const batch = Buffer.from(
      createRecordsBatch(messages as never, {
        compression: spec.compression,
        producerId: spec.producerId,
      }).buffer,
    );
    const base = next + BigInt(spec.gap);
    batch.writeBigInt64BE(base, 0);
    const attributes =
      batch.readInt16BE(21) |
      (spec.transactional || spec.control !== undefined ? 0x10 : 0) |
      (spec.control !== undefined ? 0x20 : 0);
    batch.writeInt16BE(attributes, 21);
    firstOffsets.push(base);
    next = base + BigInt(messages.length);
    parts.push(batch);
  }
  return { bytes: Buffer.concat(parts), firstOffsets };
}

const bytes = fc.option(
  fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)),
  { nil: null },
);
const batchSpec: fc.Arbitrary<BatchSpec> = fc.record({
  gap: fc.integer({ min: 0, max: 3 }),
  producerId: fc.constantFrom(1n, 2n, 3n),
  transactional: fc.boolean(),
  control: fc.constantFrom(undefined, undefined, 0 as const, 1 as const),
  compression: fc.constantFrom('none', 'none', 'gzip', 'snappy', 'lz4', 'zstd'),
  records: fc.array(
    fc.record({
      key: bytes,
      value: bytes,
      headers: fc.dictionary(
        fc.string({ maxLength: 5 }),
        fc.uint8Array({ maxLength: 8 }).map((a) => Buffer.from(a)),
        {
          maxKeys: 2,
        },
      ),
    }),
    { minLength: 1, maxLength: 6 },
  ),
});

/** An uncompressed, non-transactional batch of `records`. */
function plainBatch(records: BatchSpec['records']): BatchSpec {
  return { gap: 0, producerId: 1n, transactional: false, control: undefined, compression: 'none', records };
}

/** The library's parse of the batches, filtered by decodePartition: the oracle. */
function oracle(
  data: Buffer,
  fetchOffset: bigint,
  aborted: AbortedTransaction[] | null,
  readCommitted: boolean,
) {
  const decoded = decodePartition(
    't',
    1,
    fetchOffset,
    readRecordsBatches(Reader.from(data)),
    aborted,
    readCommitted,
  );
  return {
    records: decoded.records
      .filter((r) => r.key !== null)
      .map((r) => ({
        offset: r.offset,
        key: r.key!.toString('hex'),
        value: r.value?.toString('hex') ?? null,
      })),
    nextOffset: decoded.nextOffset,
  };
}

function ours(
  data: Buffer,
  fetchOffset: bigint,
  aborted: AbortedTransaction[] | null,
  readCommitted: boolean,
) {
  const decoded = decodeChangelogPartition('t', 1, fetchOffset, data, aborted, readCommitted);
  const { baseOffset, offsetDeltas, keys, values } = decoded.records;
  return {
    records: keys.map((k, i) => ({
      offset: baseOffset + BigInt(offsetDeltas[i]!),
      key: Buffer.from(k).toString('hex'),
      value: values[i] ? Buffer.from(values[i]).toString('hex') : null,
    })),
    nextOffset: decoded.nextOffset,
  };
}

describe('decodeChangelogPartition', () => {
  it('keeps exactly the keyed records the library parser and decodePartition keep', () => {
    fc.assert(
      fc.property(
        fc.array(batchSpec, { minLength: 0, maxLength: 8 }),
        fc.integer({ min: 0, max: 40 }),
        fc.array(fc.record({ producerId: fc.constantFrom(1n, 2n, 3n), at: fc.nat(40) }), { maxLength: 3 }),
        fc.boolean(),
        fc.nat(30),
        (specs, fetchAt, abortedAt, readCommitted, cut) => {
          const { bytes: data } = encode(specs);
          // A response may end inside a batch: both parsers ignore the partial batch.
          const truncated = data.subarray(0, Math.max(0, data.length - cut));
          const aborted = abortedAt.map((a) => ({ producerId: a.producerId, firstOffset: BigInt(a.at) }));
          const fetchOffset = BigInt(fetchAt);
          expect(ours(truncated, fetchOffset, aborted, readCommitted)).toEqual(
            oracle(truncated, fetchOffset, aborted, readCommitted),
          );
        },
      ),
      { numRuns: 400 },
    );
  });

  it('drops the aborted transaction of a producer and keeps its committed ones under read_committed', () => {
    const rec = (v: string) => ({ key: Buffer.from(`k${v}`), value: Buffer.from(v), headers: {} });
    const specs: BatchSpec[] = [
      {
        gap: 0,
        producerId: 7n,
        transactional: true,
        control: undefined,
        compression: 'none',
        records: [rec('c1')],
      },
      { gap: 0, producerId: 7n, transactional: true, control: 1, compression: 'none', records: [] },
      {
        gap: 0,
        producerId: 7n,
        transactional: true,
        control: undefined,
        compression: 'none',
        records: [rec('a1')],
      },
      { gap: 0, producerId: 7n, transactional: true, control: 0, compression: 'none', records: [] },
      {
        gap: 0,
        producerId: 7n,
        transactional: true,
        control: undefined,
        compression: 'gzip',
        records: [rec('c2')],
      },
    ];
    const { bytes: data, firstOffsets } = encode(specs);
    const aborted = [{ producerId: 7n, firstOffset: firstOffsets[2]! }];
    const values = (rc: boolean) =>
      decodeChangelogPartition('t', 0, 0n, data, aborted, rc).records.values.map((v) =>
        v ? Buffer.from(v).toString() : v,
      );
    expect(values(true)).toEqual(['c1', 'c2']);
    expect(values(false)).toEqual(['c1', 'a1', 'c2']);
    expect(decodeChangelogPartition('t', 0, 0n, data, aborted, true).nextOffset).toBe(5n);
  });

  it('reads lengths of several varint bytes (values of 20 KB and 3 MB)', () => {
    const big = [Buffer.alloc(20_000, 7), Buffer.alloc(3 * 1024 * 1024, 9)];
    const { bytes: data } = encode([
      plainBatch(big.map((value, i) => ({ key: Buffer.from(`k${i}`), value, headers: {} }))),
    ]);
    expect(ours(data, 0n, null, false)).toEqual(oracle(data, 0n, null, false));
    expect(ours(data, 0n, null, false).records).toHaveLength(2);
  });

  it('returns no records and the fetch offset for a partition without records', () => {
    const decoded = decodeChangelogPartition('t', 2, 9n, null, null, true);
    expect(decoded.nextOffset).toBe(9n);
    expect(decoded.records).toEqual({
      topic: 't',
      partition: 2,
      baseOffset: 9n,
      offsetDeltas: [],
      keys: [],
      values: [],
    });
  });

  it('refuses record batches of an old format', () => {
    const { bytes: data } = encode([plainBatch([{ key: null, value: null, headers: {} }])]);
    data.writeInt8(1, 16);
    expect(() => decodeChangelogPartition('t', 0, 0n, data, null, false)).toThrow(/magic 1/);
  });
});

describe('toChangelogRecords', () => {
  it('keeps keyed records with offsets relative to the fetch offset', () => {
    const record = (offset: bigint, key: string | null, value: string | null) => ({
      topic: 't',
      partition: 0,
      offset,
      key: key === null ? null : Buffer.from(key),
      value: value === null ? null : Buffer.from(value),
      headers: [],
      timestamp: 0n,
      timestampType: 'create-time' as const,
      leaderEpoch: 0,
    });
    const out = toChangelogRecords('t', 0, 10n, [
      record(10n, 'a', '1'),
      record(11n, null, '2'),
      record(13n, 'b', null),
    ]);
    expect(out.offsetDeltas).toEqual([0, 3]);
    expect(out.keys.map(String)).toEqual(['a', 'b']);
    expect(out.values).toEqual([Buffer.from('1'), null]);
  });
});
