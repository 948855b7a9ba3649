import { Producer, produceV11 } from '@platformatic/kafka';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  encodeProduceRequest,
  installProduceEncoder,
  type EncodableMessage,
  type ProduceEncodeOptions,
} from '../../../src/kafka/internal/produce-encoder.ts';

/** The library's own encoding of the same request: the oracle (it is what Kafka brokers have been accepting). */
function libraryBytes(
  acks: number,
  timeout: number,
  messages: EncodableMessage[],
  options: ProduceEncodeOptions,
): Buffer {
  const copy = messages.map((m) => ({ ...m }));
  return produceV11.createRequest(acks, timeout, copy as never, options as never).buffer;
}

const bytes = fc.option(
  fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
  { nil: null },
);
const message = fc.record({
  topic: fc.constantFrom('orders', 'app-store-changelog', '42', 'ünïcode-topic'),
  partition: fc.integer({ min: 0, max: 7 }),
  key: bytes,
  value: bytes,
  // Deltas within a batch stay under 2^30 ms here: the library encodes larger ones wrongly (next test).
  timestamp: fc.bigInt({ min: 1_700_000_000_000n, max: 1_700_000_000_000n + (1n << 30n) }),
  headers: fc.option(
    fc
      .array(fc.tuple(fc.string({ maxLength: 12 }), fc.uint8Array({ maxLength: 20 })), { maxLength: 3 })
      .map((hs) => new Map(hs.map(([k, v]) => [Buffer.from(k, 'utf8'), Buffer.from(v)]))),
    { nil: undefined },
  ),
});

class Sequences {
  readonly #map = new Map<string, number>();
  constructor(entries: [string, number][]) {
    for (const [k, v] of entries) this.#map.set(k, v);
  }
  getWithDefault(key: string, fallback: number): number {
    return this.#map.get(key) ?? fallback;
  }
}

describe('encodeProduceRequest (one-pass Produce v11 encoder)', () => {
  it('writes the same bytes as @platformatic/kafka for any uncompressed request', () => {
    fc.assert(
      fc.property(
        fc.array(message, { minLength: 1, maxLength: 40 }),
        fc.constantFrom(-1, 0, 1),
        fc.option(fc.constantFrom('txn-a', 'app-0f3e-0'), { nil: undefined }),
        fc.option(fc.bigInt({ min: 0n, max: 1n << 40n }), { nil: undefined }),
        fc.integer({ min: 0, max: 32_000 }),
        fc.array(fc.integer({ min: 0, max: 1 << 30 }), { minLength: 8, maxLength: 8 }),
        (messages, acks, transactionalId, producerId, producerEpoch, seqs) => {
          const options: ProduceEncodeOptions = {
            ...(transactionalId === undefined ? {} : { transactionalId }),
            ...(producerId === undefined ? {} : { producerId, producerEpoch }),
            sequences: new Sequences(seqs.map((s, p) => [`orders:${p}`, s])),
          };
          const ours = encodeProduceRequest(acks, 30_000, messages, options);
          expect(ours.toString('hex')).toBe(libraryBytes(acks, 30_000, messages, options).toString('hex'));
        },
      ),
      { seed: 20261122, numRuns: 300 },
    );
  });

  it('encodes empty keys and values and null keys like the library', () => {
    const messages: EncodableMessage[] = [
      { topic: 't', partition: 0, key: Buffer.alloc(0), value: Buffer.alloc(0), timestamp: 1n },
      { topic: 't', partition: 0, key: null, value: Buffer.from('v'), timestamp: 7n },
      { topic: 't', partition: 0, key: Buffer.from('k'), value: null, timestamp: 0n },
    ];
    const ours = encodeProduceRequest(1, 5000, messages, {});
    expect(ours.equals(libraryBytes(1, 5000, messages, {}))).toBe(true);
  });

  it('encodes a timestamp delta beyond 2^31 ms as a correct 64-bit zigzag varlong (the library does not)', () => {
    // @platformatic/dynamic-buffer 2.12 zigzags 64-bit values with `>> 31n` and stops its varint loop at 32
    // bits, so a batch spanning more than ~24.8 days of timestamps gets wrong deltas. Expected bytes by hand:
    // delta 2^45 - 1 → zigzag 2^46 - 2 → 7-bit groups, least significant first: 0x7e, 0x7f ×5, 0x0f.
    const messages: EncodableMessage[] = [
      { topic: 't', partition: 0, key: null, value: Buffer.from('a'), timestamp: 1n },
      { topic: 't', partition: 0, key: null, value: Buffer.from('b'), timestamp: 1n << 45n },
    ];
    const ours = encodeProduceRequest(1, 5000, messages, {});
    const expected = Buffer.from('feffffffffff0f', 'hex');
    expect(ours.indexOf(expected)).toBeGreaterThan(0);
    expect(libraryBytes(1, 5000, messages, {}).indexOf(expected)).toBe(-1);
  });

  it('finds the API lookup of a library producer to hook into (a library upgrade that renames it fails here)', async () => {
    const producer = new Producer({ clientId: 'encoder-test', bootstrapBrokers: ['127.0.0.1:1'] });
    try {
      expect(installProduceEncoder(producer)).toBe(true);
    } finally {
      await producer.close();
    }
  });
});
