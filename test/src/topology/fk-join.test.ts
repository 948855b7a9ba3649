import { describe, expect, it } from 'vitest';
import { jsonSerde, stringSerde } from '../../../src/serdes/index.ts';
import { createTopologyTestDriver } from '../../../src/test-driver/index.ts';
import { createStreamsBuilder } from '../../../src/topology/index.ts';

const str = stringSerde();
/** (key, left value, right value) as the joiner saw them. */
type Triple = [string | null, string | null, string | null];
const json = jsonSerde<[string | null, string | null]>();
const io = { keySerde: str, valueSerde: str };

/**
 * The input of "Semantics of table-table foreign-key joins" (Kafka Streams developer guide, DSL API,
 * KTable-KTable Foreign-Key Join): the left value is the foreign key itself (the extractor is the identity).
 * Offset 1 has both a right and a left record; the right one comes first (the LEFT JOIN column shows only
 * (k,1,foo) there).
 */
type Row = [offset: number, side: 'L' | 'R', key: string, value: string | null];
const DOCS_INPUT: Row[] = [
  [1, 'R', '1', 'foo'],
  [1, 'L', 'k', '1'],
  [2, 'L', 'k', '2'],
  [3, 'L', 'k', '3'],
  [4, 'R', '3', 'bar'],
  [5, 'L', 'k', null],
  [6, 'L', 'k', '1'],
  [7, 'L', 'q', '10'],
  [8, 'L', 'r', '10'],
  [9, 'R', '10', 'baz'],
];

/** Pipes the rows; returns the join's output after each offset as (key, left value, right value), null = tombstone. */
async function run(
  kind: 'join' | 'leftJoin',
  named?: string,
): Promise<Record<number, (Triple | [string, null])[]>> {
  const b = createStreamsBuilder();
  const left = b.table<string, string>('left', io);
  const right = b.table<string, string>('right', io);
  const joiner = (l: string, r: string | null): [string | null, string | null] => [l, r];
  const options = named === undefined ? undefined : { name: named };
  const joined =
    kind === 'join'
      ? left.join(right, (v) => v, joiner, options)
      : left.leftJoin(right, (v) => v, joiner, options);
  joined.toStream().to('out', { keySerde: str, valueSerde: json });
  const driver = createTopologyTestDriver(b.build(), { applicationId: 'fk' });
  const l = driver.createInputTopic('left', str, str);
  const r = driver.createInputTopic('right', str, str);
  const out = driver.createOutputTopic('out', str, json);
  const rows: Record<number, (Triple | [string, null])[]> = {};
  for (const [offset, side, key, value] of DOCS_INPUT) {
    await (side === 'L' ? l : r).pipeInput(key, value, offset);
    const emitted = out
      .readKeyValuesToList()
      .map((kv) => (kv.value === null ? [kv.key as string, null] : [kv.key as string, ...kv.value]));
    if (emitted.length > 0) rows[offset] = [...(rows[offset] ?? []), ...(emitted as Triple[])];
  }
  driver.close();
  return rows;
}

describe('KTable-KTable foreign-key joins: the "Semantics of table-table foreign-key joins" table', () => {
  it('(INNER) JOIN column', async () => {
    expect(await run('join')).toEqual({
      1: [['k', '1', 'foo']],
      2: [['k', null]], // (k,null): the new foreign key 2 has no row, the old result is retracted
      3: [['k', null]],
      4: [['k', '3', 'bar']],
      5: [['k', null]],
      6: [['k', '1', 'foo']],
      9: [
        ['q', '10', 'baz'],
        ['r', '10', 'baz'],
      ],
    });
  });

  it('LEFT JOIN column', async () => {
    expect(await run('leftJoin')).toEqual({
      1: [['k', '1', 'foo']],
      2: [['k', '2', null]],
      3: [['k', '3', null]],
      4: [['k', '3', 'bar']],
      5: [['k', null]], // (k,null,null): the left row is deleted, so is its result
      6: [['k', '1', 'foo']],
      7: [['q', '10', null]],
      8: [['r', '10', null]],
      9: [
        ['q', '10', 'baz'],
        ['r', '10', 'baz'],
      ],
    });
  });

  it('names its internal topics after Kafka Streams (generated and named), co-partitioned with each side', () => {
    const b = createStreamsBuilder();
    const left = b.table<string, string>('left', io);
    const right = b.table<string, string>('right', io);
    left
      .join(
        right,
        (v) => v,
        (l: string, r: string): [string | null, string | null] => [l, r],
      )
      .toStream()
      .to('out', { valueSerde: json });
    const partitions: Record<string, number> = { left: 6, right: 4, out: 6 };
    const compiled = b.build().compile({ applicationId: 'app', partitionsOf: (t) => partitions[t] });
    const internal = compiled.internalTopics.filter((t) => t.kind === 'repartition');
    const reg = internal.find((t) =>
      /^app-KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-\d{10}-topic$/.test(t.name),
    );
    const resp = internal.find((t) => /^app-KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-\d{10}-topic$/.test(t.name));
    expect(reg?.partitions).toBe(4); // keyed by the foreign key, like the right table
    expect(resp?.partitions).toBe(6); // keyed by the left key, like the left table
    expect(compiled.coPartitionGroups).toContainEqual([reg?.name, 'right']);
    expect(compiled.coPartitionGroups).toContainEqual([resp?.name, 'left']);
  });

  it('a named join names its topics <name>-subscription-registration-topic and <name>-subscription-response-topic', async () => {
    expect(await run('leftJoin', 'orders-customers')).toMatchObject({ 9: expect.any(Array) });
    const b = createStreamsBuilder();
    b.table<string, string>('left', io)
      .leftJoin(
        b.table<string, string>('right', io),
        (v) => v,
        (l: string, r: string | null): [string | null, string | null] => [l, r],
        { name: 'fk' },
      )
      .toStream()
      .to('out', { valueSerde: json });
    const names = b
      .build()
      .compile({ applicationId: 'app' })
      .internalTopics.map((t) => t.name);
    expect(names).toContain('app-fk-subscription-registration-topic');
    expect(names).toContain('app-fk-subscription-response-topic');
  });

  it('random updates on both sides: after each, the result equals a naive lookup of the current tables', async () => {
    // Oracle: the left join recomputed from scratch (current left rows, each with its foreign row or null).
    const b = createStreamsBuilder();
    const left = b.table<string, string>('left', io);
    const right = b.table<string, string>('right', io);
    left
      .leftJoin(
        right,
        (v) => v.split(':')[0] ?? null,
        (l: string, r: string | null) => [l, r],
      )
      .toStream()
      .to('out', { keySerde: str, valueSerde: json });
    const driver = createTopologyTestDriver(b.build(), { applicationId: 'fk-fuzz' });
    const l = driver.createInputTopic('left', str, str);
    const r = driver.createInputTopic('right', str, str);
    const out = driver.createOutputTopic('out', str, json);
    const L = new Map<string, string>();
    const R = new Map<string, string>();
    const result = new Map<string, [string | null, string | null]>();
    let x = 5;
    const rnd = (n: number): number => (x = (x * 1103515245 + 12345) % 2147483648) % n;
    for (let i = 0; i < 400; i++) {
      const del = rnd(5) === 0;
      if (rnd(2) === 0) {
        const k = `k${rnd(6)}`;
        const v = del ? null : `f${rnd(4)}:${i}`;
        if (v === null) L.delete(k);
        else L.set(k, v);
        await l.pipeInput(k, v, i);
      } else {
        const k = `f${rnd(4)}`;
        const v = del ? null : `r${i}`;
        if (v === null) R.delete(k);
        else R.set(k, v);
        await r.pipeInput(k, v, i);
      }
      for (const kv of out.readKeyValuesToList()) {
        if (kv.value === null) result.delete(kv.key as string);
        else result.set(kv.key as string, kv.value);
      }
      const expected = new Map<string, [string | null, string | null]>();
      for (const [k, v] of L) expected.set(k, [v, R.get(v.split(':')[0] as string) ?? null]);
      expect(result).toEqual(expected);
    }
    driver.close();
  });
});
