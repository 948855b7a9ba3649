import { describe, expect, it } from 'vitest';
import { jsonSerde, stringSerde } from '../../../src/serdes/index.ts';
import { createTopologyTestDriver } from '../../../src/test-driver/index.ts';
import { createStreamsBuilder, type StreamsBuilder } from '../../../src/topology/index.ts';
import { JoinWindows } from '../../../src/topology/windows.ts';

const str = stringSerde();
type Pair = [string | null, string | null];
const json = jsonSerde<Pair>();
const io = { keySerde: str, valueSerde: str };
const pair = (l: unknown, r: unknown): Pair => [(l as string | null) ?? null, (r as string | null) ?? null];
type Row = [number, 'L' | 'R', string | null];

/**
 * The input of the join semantics tables of the Kafka Streams developer guide (DSL API, "Joining"): one key,
 * records in timestamp order; L/R = left/right input; null = a null value (a tombstone for a table).
 */
const DOCS_INPUT: Row[] = [
  [1, 'L', null],
  [2, 'R', null],
  [3, 'L', 'A'],
  [4, 'R', 'a'],
  [5, 'L', 'B'],
  [6, 'R', 'b'],
  [7, 'L', null],
  [8, 'R', null],
  [9, 'L', 'C'],
  [10, 'R', 'c'],
  [11, 'R', null],
  [12, 'L', null],
  [13, 'R', null],
  [14, 'R', 'd'],
  [15, 'L', 'D'],
];

/** Pipes the rows (row timestamp → `toMs(ts)`); returns what topic `out` received after each row, by row timestamp. */
async function run(
  build: (b: StreamsBuilder) => void,
  input: Row[],
  toMs: (ts: number) => number = (ts) => ts,
): Promise<Record<number, (Pair | null)[]>> {
  const b = createStreamsBuilder();
  build(b);
  const driver = createTopologyTestDriver(b.build());
  const left = driver.createInputTopic('left', str, str);
  const right = driver.createInputTopic('right', str, str);
  const out = driver.createOutputTopic('out', str, json);
  const rows: Record<number, (Pair | null)[]> = {};
  for (const [ts, side, value] of input) {
    await (side === 'L' ? left : right).pipeInput('k', value, toMs(ts));
    const emitted = out.readKeyValuesToList().map((kv) => kv.value as Pair | null);
    if (emitted.length > 0) rows[ts] = emitted;
  }
  driver.close();
  return rows;
}

describe('KStream-KStream joins: the "Semantics of stream-stream joins" table (window 10 s, grace 5 s)', () => {
  const input: Row[] = [...DOCS_INPUT, [40, 'L', 'E'], [60, 'L', 'F'], [80, 'R', 'f'], [100, 'L', 'G']];
  const joins = {
    A: [['A', 'a']],
    B: [['B', 'a']],
    C: [
      ['A', 'b'],
      ['B', 'b'],
    ],
    D: [
      ['C', 'a'],
      ['C', 'b'],
    ],
    E: [
      ['A', 'c'],
      ['B', 'c'],
      ['C', 'c'],
    ],
    F: [
      ['A', 'd'],
      ['B', 'd'],
      ['C', 'd'],
    ],
    G: [
      ['D', 'a'],
      ['D', 'b'],
      ['D', 'c'],
      ['D', 'd'],
    ],
  };
  const common = { 4: joins.A, 5: joins.B, 6: joins.C, 9: joins.D, 10: joins.E, 14: joins.F, 15: joins.G };
  const windows = JoinWindows.ofTimeDifferenceAndGrace(10_000, 5_000);
  // The table assumes rows 1-15 all fall in one join window, so they are piped 0.5 s apart; rows 40-100 are
  // seconds, as written, so that the windows of E, F and f close at 60, 80 and 100.
  const secondsApart = (ts: number): number => (ts <= 15 ? ts * 500 : ts * 1000);
  const streams = (b: StreamsBuilder) =>
    [b.stream<string, string>('left', io), b.stream<string, string>('right', io)] as const;

  it('INNER JOIN column', async () => {
    const got = await run(
      (b) => {
        const [l, r] = streams(b);
        l.join(r, pair, windows).to('out', { valueSerde: json });
      },
      input,
      secondsApart,
    );
    expect(got).toEqual(common);
  });

  it('LEFT JOIN column: [E, null] only at 60 and [F, null] only at 80, after their windows closed', async () => {
    const got = await run(
      (b) => {
        const [l, r] = streams(b);
        l.leftJoin(r, pair, windows).to('out', { valueSerde: json });
      },
      input,
      secondsApart,
    );
    expect(got).toEqual({ ...common, 60: [['E', null]], 80: [['F', null]] });
  });

  it('OUTER JOIN column: also [null, f] at 100', async () => {
    const got = await run(
      (b) => {
        const [l, r] = streams(b);
        l.outerJoin(r, pair, windows).to('out', { valueSerde: json });
      },
      input,
      secondsApart,
    );
    expect(got).toEqual({ ...common, 60: [['E', null]], 80: [['F', null]], 100: [[null, 'f']] });
  });
});

describe('KStream-KTable joins: the "Semantics of stream-table joins" table', () => {
  const build = (left: boolean) => (b: StreamsBuilder) => {
    const table = b.table<string, string>('right', io);
    const stream = b.stream<string, string>('left', io);
    (left ? stream.leftJoin(table, pair) : stream.join(table, pair)).to('out', { valueSerde: json });
  };

  it('INNER JOIN column', async () => {
    expect(await run(build(false), DOCS_INPUT)).toEqual({ 5: [['B', 'a']], 15: [['D', 'd']] });
  });

  it('LEFT JOIN column', async () => {
    expect(await run(build(true), DOCS_INPUT)).toEqual({
      3: [['A', null]],
      5: [['B', 'a']],
      9: [['C', null]],
      15: [['D', 'd']],
    });
  });
});

describe('KStream-GlobalKTable joins: the stream-table table, with the key mapped by a key selector', () => {
  it('LEFT JOIN column (the global table is looked up by the selected key)', async () => {
    const got = await run((b) => {
      const global = b.globalTable<string, string>('right', io);
      b.stream<string, string>('left', io)
        .leftJoin(global, (key) => key, pair)
        .to('out', { valueSerde: json });
    }, DOCS_INPUT);
    expect(got).toEqual({ 3: [['A', null]], 5: [['B', 'a']], 9: [['C', null]], 15: [['D', 'd']] });
  });
});

describe('KTable-KTable joins: the "Semantics of table-table equi-joins" table', () => {
  const build = (kind: 'join' | 'leftJoin' | 'outerJoin') => (b: StreamsBuilder) => {
    const l = b.table<string, string>('left', io);
    const r = b.table<string, string>('right', io);
    // Explicit calls: join/leftJoin are overloaded (equi and foreign-key), which an indexed call cannot pick.
    const joined =
      kind === 'join' ? l.join(r, pair) : kind === 'leftJoin' ? l.leftJoin(r, pair) : l.outerJoin(r, pair);
    joined.toStream().to('out', { valueSerde: json });
  };

  it('INNER JOIN column', async () => {
    expect(await run(build('join'), DOCS_INPUT)).toEqual({
      4: [['A', 'a']],
      5: [['B', 'a']],
      6: [['B', 'b']],
      7: [null],
      10: [['C', 'c']],
      11: [null],
      15: [['D', 'd']],
    });
  });

  it('LEFT JOIN column', async () => {
    expect(await run(build('leftJoin'), DOCS_INPUT)).toEqual({
      3: [['A', null]],
      4: [['A', 'a']],
      5: [['B', 'a']],
      6: [['B', 'b']],
      7: [null],
      9: [['C', null]],
      10: [['C', 'c']],
      11: [['C', null]],
      12: [null],
      15: [['D', 'd']],
    });
  });

  it('OUTER JOIN column', async () => {
    expect(await run(build('outerJoin'), DOCS_INPUT)).toEqual({
      3: [['A', null]],
      4: [['A', 'a']],
      5: [['B', 'a']],
      6: [['B', 'b']],
      7: [[null, 'b']],
      8: [null],
      9: [['C', null]],
      10: [['C', 'c']],
      11: [['C', null]],
      12: [null],
      14: [[null, 'd']],
      15: [['D', 'd']],
    });
  });
});

describe('co-partitioning and repartitioning of joins', () => {
  it('lists joined topics as co-partitioned and repartitions a re-keyed stream before a stream-table join', () => {
    const b = createStreamsBuilder();
    const table = b.table<string, string>('right', io);
    b.stream<string, string>('left', io)
      .selectKey((_k, v) => v)
      .join(table, pair, { name: 'enrich' })
      .to('out', { valueSerde: json });
    const compiled = b.build().compile({ applicationId: 'app' });
    expect(compiled.internalTopics.map((t) => t.name)).toContain('app-enrich-left-repartition');
    expect(compiled.coPartitionGroups).toEqual([['app-enrich-left-repartition', 'right']]);
  });
});
