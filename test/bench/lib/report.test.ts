import { describe, expect, it } from 'vitest';
import {
  medianPerContender,
  percentile,
  ratioRow,
  ratioTable,
  readyToDoneRate,
  recordsPerSecond,
  windowOf,
  type ContenderResult,
} from '../../../bench/lib/report.ts';

const result = (
  c: ContenderResult['contender'],
  processingMs: number,
  extra: Partial<ContenderResult> = {},
): ContenderResult => ({
  contender: c,
  records: 100_000,
  startupMs: 1000,
  processingMs,
  peakRssBytes: 300 * 1024 * 1024,
  peakAnonBytes: 120 * 1024 * 1024,
  ...extra,
});

describe('benchmark report', () => {
  it("keeps each contender's median run over rounds (a failed run ranks lowest)", () => {
    const steady = (ms: number) => ({ steady: { fromRecords: 10_000, ms } });
    const runs = [
      result('millrace', 4000, steady(3000)), // 30,000/s
      result('kafka-streams', 4000, steady(2000)), // 45,000/s
      result('millrace', 4000, steady(1000)), // 90,000/s
      result('kafka-streams', 4000, { ...steady(9000), error: 'boom' }),
      result('millrace', 4000, steady(4500)), // 20,000/s
      result('kafka-streams', 4000, steady(3000)), // 30,000/s
    ];
    const medians = medianPerContender(runs, ['millrace', 'kafka-streams']);
    expect(medians.map((r) => [r.contender, recordsPerSecond(r, 'steady')])).toEqual([
      ['millrace', 30_000],
      ['kafka-streams', 30_000],
    ]);
    expect(medianPerContender([runs[0]!], ['millrace', 'ceiling'])).toEqual([runs[0]]);
  });

  it('rates the steady window, or every record over spawn → done (cold)', () => {
    // steady: 90,000 records in 3 s → 30,000/s; cold: 100,000 in 1 s start + 4 s → 20,000/s.
    const r = result('millrace', 4000, { steady: { fromRecords: 10_000, ms: 3000 } });
    expect(recordsPerSecond(r, 'steady')).toBe(30_000);
    expect(recordsPerSecond(r, 'cold')).toBe(20_000);
    expect(readyToDoneRate(r)).toBe(25_000);
    expect(recordsPerSecond(result('millrace', 4000), 'steady')).toBeUndefined();
    expect(recordsPerSecond(result('millrace', 4000, { error: 'died' }), 'cold')).toBeUndefined();
  });

  it('uses one window for every contender: cold as soon as one has no steady window', () => {
    const steady = { fromRecords: 0, ms: 1000 };
    expect(windowOf([result('millrace', 1, { steady }), result('ceiling', 1, { steady })])).toBe('steady');
    expect(windowOf([result('millrace', 1, { steady }), result('ceiling', 1)])).toBe('cold');
    expect(windowOf([result('millrace', 1, { steady }), result('ceiling', 1, { error: 'x' })])).toBe(
      'steady',
    );
  });

  it('divides Millrace by Kafka Streams and by the ceiling', () => {
    // cold: 100,000 records over 1 s + processing.
    const row = ratioRow({
      scenario: 'profiles',
      guarantee: 'at_least_once',
      events: 100_000,
      results: [result('millrace', 4000), result('kafka-streams', 9000), result('ceiling', 1500)],
    });
    expect(row.window).toBe('cold');
    expect(row.millraceRps).toBe(20_000);
    expect(row.vsKafkaStreams).toBe(2);
    expect(row.vsCeiling).toBe(0.5);
    expect(row.rssMiB.millrace).toBe(300);
    expect(row.anonMiB.millrace).toBe(120);
    const table = ratioTable([row]);
    expect(table).toContain(
      '| profiles | at_least_once | 100000 | cold | 20,000 | 10,000 | 40,000 | 2.00 | 0.50 | 300 / 300 / 300 | 120 / 120 / 120 |',
    );
  });

  it('shows n/a for a failed or missing contender', () => {
    const row = ratioRow({
      scenario: 'orders',
      guarantee: 'exactly_once_v2',
      events: 10,
      results: [
        result('millrace', 5000),
        result('kafka-streams', 0, { error: 'x', peakRssBytes: undefined, peakAnonBytes: undefined }),
      ],
    });
    expect(row.vsKafkaStreams).toBeUndefined();
    expect(row.vsCeiling).toBeUndefined();
    expect(ratioTable([row])).toContain('| n/a | n/a | n/a | 300 / n/a / n/a | 120 / n/a / n/a |');
  });

  it('takes nearest-rank percentiles', () => {
    const v = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(v, 50)).toBe(50);
    expect(percentile(v, 99)).toBe(99);
    expect(percentile(v, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeUndefined();
  });
});
