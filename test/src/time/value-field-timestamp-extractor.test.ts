import { describe, expect, it } from 'vitest';
import { isMillraceError } from '../../../src/errors/index.ts';
import { jsonSerde, longSerde, stringSerde } from '../../../src/serdes/index.ts';
import { createTopologyTestDriver } from '../../../src/test-driver/index.ts';
import {
  TIMESTAMP_NANOS_HEADER,
  recordEpochNanos,
  recordTimestampExtractor,
  valueFieldTimestampExtractor,
} from '../../../src/time/index.ts';
import { compileTopologySpec, createProcessorRegistry } from '../../../src/topology/spec/index.ts';
import { createStreamsBuilder } from '../../../src/topology/index.ts';
import { windowedSerde } from '../../../src/topology/internal/windowed-serdes.ts';
import { TimeWindows, type Windowed } from '../../../src/topology/windows.ts';

const input = { topic: 'in', partition: 0, offset: 7, key: 'k', timestamp: 5, headers: [] };
const BASE_MS = Date.UTC(2026, 0, 2, 10, 0, 0); // 2026-01-02T10:00:00Z

/** An RFC 3339 text for BASE_MS + ms + sub-millisecond nanos, written by hand (not by the parser under test). */
function text(ms: number, subNanos: number, offset: '' | '+01:00' = ''): string {
  const d = new Date(BASE_MS + ms + (offset === '+01:00' ? 3_600_000 : 0));
  const iso = d.toISOString(); // …T10:00:00.123Z
  return `${iso.slice(0, 23)}${String(subNanos).padStart(6, '0')}${offset === '' ? 'Z' : offset}`;
}

describe('valueFieldTimestampExtractor', () => {
  it('reads an RFC 3339 field at nanosecond precision, with offsets and dotted paths', () => {
    const x = valueFieldTimestampExtractor('occurredAt');
    const r = x.extract({ ...input, value: { occurredAt: text(123, 456_789) } }, -1);
    expect(r.timestampMs).toBe(BASE_MS + 123);
    expect(r.epochNanos).toBe(BigInt(BASE_MS + 123) * 1_000_000n + 456_789n);
    const o = x.extract({ ...input, value: { occurredAt: text(123, 456_789, '+01:00') } }, -1);
    expect(o.epochNanos).toBe(r.epochNanos);
    const nested = valueFieldTimestampExtractor('meta.at').extract(
      { ...input, value: { meta: { at: '1970-01-01T00:00:00.000000001Z' } } },
      -1,
    );
    expect(nested).toEqual({ timestampMs: 0, epochNanos: 1n });
  });

  it('refuses a missing field, a non-object value, an invalid text and a time before the epoch', () => {
    const x = valueFieldTimestampExtractor('occurredAt');
    for (const value of [
      {},
      null,
      'text',
      { occurredAt: 17 },
      { occurredAt: '2026-02-30T00:00:00Z' },
      { occurredAt: '1969-12-31T23:59:59.999999999Z' },
    ]) {
      let caught: unknown;
      try {
        x.extract({ ...input, value }, -1);
      } catch (err) {
        caught = err;
      }
      expect(isMillraceError(caught) && caught.code).toBe('MR_TIMESTAMP_INVALID');
    }
    expect(() => valueFieldTimestampExtractor('a..b')).toThrow(/dotted path/);
  });

  it('the default extractor is the record timestamp', () => {
    expect(recordTimestampExtractor().extract({ ...input, value: null }, 99)).toEqual({ timestampMs: 5 });
  });
});

describe('a source with a timestamp extractor (TopologyTestDriver)', () => {
  type Ev = { id: number; occurredAt?: unknown };
  // Events: (ms after BASE, sub-ms nanos); the Kafka record timestamps are deliberately unrelated.
  const events: [number, number][] = [
    [10, 1],
    [999, 999_999],
    [1_000, 0],
    [400, 5],
    [2_500, 7],
    [1_999, 1],
    [700, 0], // its window [0, 1000) closed once stream time reached 1500 (grace 500): late
  ];

  function build() {
    const b = createStreamsBuilder();
    const s = b.stream<string, Ev>('events', {
      keySerde: stringSerde(),
      valueSerde: jsonSerde<Ev>(),
      timestampExtractor: valueFieldTimestampExtractor('occurredAt'),
    });
    s.to('copy', { keySerde: stringSerde(), valueSerde: jsonSerde() });
    s.groupByKey()
      .windowedBy(TimeWindows.ofSizeAndGrace(1_000, 500))
      .count({ storeName: 'per-second' })
      .toStream()
      .to('counts', { keySerde: windowedSerde(stringSerde()), valueSerde: longSerde() });
    return b.build();
  }

  it('windows by the extracted event time, drops the late record, and carries the nanoseconds', async () => {
    const driver = createTopologyTestDriver(build(), { applicationId: 'ts-extract' });
    const inTopic = driver.createInputTopic('events', stringSerde(), jsonSerde<Ev>());
    const copy = driver.createOutputTopic('copy', stringSerde(), jsonSerde<Ev>());
    const counts = driver.createOutputTopic('counts', windowedSerde(stringSerde()), longSerde());
    let i = 0;
    for (const [ms, ns] of events) {
      await inTopic.pipeInput('k', { id: i++, occurredAt: text(ms, ns) }, 1_000_000 - i); // record ts decreasing
    }
    // Oracle: tumbling 1 s windows relative to the epoch, grace 500 ms, stream time = max event time.
    const oracle = new Map<number, number>();
    let st = -1;
    for (const [ms] of events) {
      const t = BASE_MS + ms;
      st = Math.max(st, t);
      const start = t - (t % 1_000);
      if (start + 1_000 <= st - 500) continue;
      oracle.set(start, (oracle.get(start) ?? 0) + 1);
    }
    const last = new Map<number, number>();
    for (const r of counts.readKeyValuesToList()) {
      last.set((r.key as Windowed<string>).window.start, r.value as number);
    }
    expect(last).toEqual(oracle);
    expect(oracle.get(BASE_MS)).toBe(3); // 10, 999, 400 — 700 came too late
    const copied = copy.readRecordsToList();
    expect(copied.map((r) => r.timestamp)).toEqual(events.map(([ms]) => BASE_MS + ms));
    expect(copied.map((r) => recordEpochNanos(r))).toEqual(
      events.map(([ms, ns]) => BigInt(BASE_MS + ms) * 1_000_000n + BigInt(ns)),
    );
    expect(copied.every((r) => r.headers.filter((h) => h.key === TIMESTAMP_NANOS_HEADER).length === 1)).toBe(
      true,
    );
    driver.close();
  });

  it('a missing or invalid field is an MR_SERDE error with the record coordinates (dead-lettered by the runtime)', async () => {
    const driver = createTopologyTestDriver(build(), { applicationId: 'ts-extract-bad' });
    const inTopic = driver.createInputTopic('events', stringSerde(), jsonSerde<Ev>());
    for (const bad of [{ id: 1 }, { id: 2, occurredAt: '2026-01-02 10:00:00Z' }]) {
      let caught: unknown;
      try {
        await inTopic.pipeInput('k', bad, 1);
      } catch (err) {
        caught = err;
      }
      expect(isMillraceError(caught) && caught.code).toBe('MR_SERDE');
      expect(isMillraceError(caught) && caught.details).toMatchObject({ topic: 'events', partition: 0 });
      expect(String((caught as Error).message)).toMatch(/occurredAt/);
    }
    driver.close();
  });

  it('the YAML spec takes `timestamp: { field }` on a source', async () => {
    const { topology } = compileTopologySpec(
      [
        'config: { application.id: ts-yaml }',
        'sources:',
        '  events: { topic: events, keySerde: string, valueSerde: json, timestamp: { field: occurredAt } }',
        'pipelines:',
        '  - from: events',
        '    steps: [{ to: { topic: out, keySerde: string, valueSerde: json } }]',
      ].join('\n'),
      createProcessorRegistry(),
    );
    const driver = createTopologyTestDriver(topology, { applicationId: 'ts-yaml' });
    const inTopic = driver.createInputTopic('events', stringSerde(), jsonSerde<Ev>());
    const out = driver.createOutputTopic('out', stringSerde(), jsonSerde<Ev>());
    await inTopic.pipeInput('k', { id: 1, occurredAt: text(42, 17) }, 1);
    const [r] = out.readRecordsToList();
    expect(r?.timestamp).toBe(BASE_MS + 42);
    expect(recordEpochNanos(r!)).toBe(BigInt(BASE_MS + 42) * 1_000_000n + 17n);
    driver.close();
  });
});
