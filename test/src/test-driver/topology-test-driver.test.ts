import { describe, expect, it } from 'vitest';
import type { KeyValueStore } from '../../../state/types.ts';
import { isMillraceError } from '../../../src/errors/index.ts';
import type { ProcessorContext } from '../../../src/processor/index.ts';
import { longSerde, stringSerde, jsonSerde } from '../../../src/serdes/index.ts';
import { createTopologyTestDriver } from '../../../src/test-driver/index.ts';
import { createStreamsBuilder } from '../../../src/topology/index.ts';

const str = stringSerde();

function wordCount() {
  const b = createStreamsBuilder();
  b.stream<string, string>('lines', { keySerde: str, valueSerde: str })
    .flatMapValues((line) =>
      line
        .toLowerCase()
        .split(/\W+/)
        .filter((w) => w.length > 0),
    )
    .groupBy((_k, w) => w, { keySerde: str })
    .count({ storeName: 'counts' })
    .toStream()
    .to('word-counts', { valueSerde: longSerde() });
  return b.build();
}

describe('TopologyTestDriver', () => {
  it('counts words through the repartition topic', async () => {
    const driver = createTopologyTestDriver(wordCount());
    const input = driver.createInputTopic('lines', str, str);
    const output = driver.createOutputTopic('word-counts', str, longSerde());
    await input.pipeInput(null, 'Hello Kafka Streams', 1_000);
    await input.pipeInput(null, 'hello world', 2_000);
    expect(output.readKeyValuesToList()).toEqual([
      { key: 'hello', value: 1 },
      { key: 'kafka', value: 1 },
      { key: 'streams', value: 1 },
      { key: 'hello', value: 2 },
      { key: 'world', value: 1 },
    ]);
    expect(output.isEmpty()).toBe(true);
    expect(driver.getKeyValueStore<string, number>('counts').get('hello')).toBe(2);
    // the repartition topic is internal: it is routed, not captured as output
    expect(driver.producedTopicNames()).toEqual(['word-counts']);
    driver.close();
  });

  it('works without awaiting, for synchronous topologies', () => {
    const driver = createTopologyTestDriver(wordCount());
    const input = driver.createInputTopic('lines', str, str);
    const output = driver.createOutputTopic('word-counts', str, longSerde());
    void input.pipeInput(null, 'a b a');
    expect(output.readKeyValuesToMap()).toEqual(
      new Map([
        ['a', 2],
        ['b', 1],
      ]),
    );
  });

  it('counts by key and keeps record timestamps', async () => {
    const b = createStreamsBuilder();
    b.stream<string, string>('events', { keySerde: str, valueSerde: str })
      .groupByKey()
      .count({ storeName: 'per-key' })
      .toStream()
      .to('per-key-counts', { valueSerde: longSerde() });
    const driver = createTopologyTestDriver(b.build());
    const input = driver.createInputTopic('events', str, str);
    const output = driver.createOutputTopic('per-key-counts', str, longSerde());
    await input.pipeRecordList([
      { key: 'p1', value: 'x', timestamp: 10 },
      { key: 'p2', value: 'y', timestamp: 20 },
      { key: 'p1', value: 'z', timestamp: 30 },
      { key: null, value: 'dropped', timestamp: 40 },
    ]);
    expect(output.readRecordsToList().map((r) => [r.key, r.value, r.timestamp])).toEqual([
      ['p1', 1, 10],
      ['p2', 1, 20],
      ['p1', 2, 30],
    ]);
  });

  it("flushes record caches after every input record, as Kafka Streams' driver commits: updates of one key by one record fold into one", async () => {
    const topology = (cachingEnabled = true): ReturnType<typeof wordCount> => {
      const b = createStreamsBuilder();
      b.stream<string, string>('events', { keySerde: str, valueSerde: str })
        .flatMapValues((v) => v.split(' '))
        .groupByKey()
        .count({ storeName: 'per-key', cachingEnabled })
        .toStream()
        .to('per-key-counts', { valueSerde: longSerde() });
      return b.build();
    };
    const run = async (
      cacheMaxBytes?: number,
      cachingEnabled = true,
    ): Promise<[string, number, number][]> => {
      const driver = createTopologyTestDriver(
        topology(cachingEnabled),
        cacheMaxBytes === undefined ? {} : { cacheMaxBytes },
      );
      const input = driver.createInputTopic('events', str, str);
      const output = driver.createOutputTopic('per-key-counts', str, longSerde());
      await input.pipeInput('p1', 'a b c', 10);
      await input.pipeInput('p2', 'd', 20);
      await input.pipeInput('p1', 'e f', 30);
      const out = output
        .readRecordsToList()
        .map((r): [string, number, number] => [r.key!, r.value!, r.timestamp]);
      expect(driver.getKeyValueStore<string, number>('per-key').get('p1')).toBe(5);
      driver.close();
      return out;
    };
    expect(await run()).toEqual([
      ['p1', 3, 10],
      ['p2', 1, 20],
      ['p1', 5, 30],
    ]);
    // cacheMaxBytes 0, or caching disabled for the store: one update per record the aggregation sees.
    expect(await run(undefined, false)).toEqual(await run(0));
    expect(await run(0)).toEqual([
      ['p1', 1, 10],
      ['p1', 2, 10],
      ['p1', 3, 10],
      ['p2', 1, 20],
      ['p1', 4, 30],
      ['p1', 5, 30],
    ]);
  });

  it('re-keys a table and counts, subtracting values that move between groups (Kafka docs example)', async () => {
    // user -> region; count users per region. When a user moves, the old region goes down.
    const b = createStreamsBuilder();
    b.table<string, string>('user-regions', { keySerde: str, valueSerde: str })
      .groupBy((user, region) => ({ key: region, value: user }), { keySerde: str, valueSerde: str })
      .count({ storeName: 'users-per-region' })
      .toStream()
      .to('region-counts', { valueSerde: longSerde() });
    const topology = b.build();
    expect(topology.describe().toString()).toContain(
      'Sink: KSTREAM-SINK-0000000004 (topic: users-per-region-repartition)',
    );
    const driver = createTopologyTestDriver(topology);
    const input = driver.createInputTopic('user-regions', str, str);
    const output = driver.createOutputTopic('region-counts', str, longSerde());
    await input.pipeInput('alice', 'asia', 1);
    await input.pipeInput('bob', 'europe', 2);
    await input.pipeInput('alice', 'europe', 3); // alice moves: asia 0, europe 2
    await input.pipeInput('bob', null, 4); // bob deleted: europe 1
    expect(output.readKeyValuesToList()).toEqual([
      { key: 'asia', value: 1 },
      { key: 'europe', value: 1 },
      { key: 'asia', value: 0 },
      { key: 'europe', value: 2 },
      { key: 'europe', value: 1 },
    ]);
    const store = driver.getKeyValueStore<string, number>('users-per-region');
    expect(store.get('asia')).toBe(0);
    expect(store.get('europe')).toBe(1);
    expect(
      driver.getKeyValueStore<string, string>('user-regions-STATE-STORE-0000000000').get('bob'),
    ).toBeUndefined();
  });

  it('aggregates a re-keyed table with adder and subtractor', async () => {
    const b = createStreamsBuilder();
    b.table<string, { dept: string; salary: number }>('employees', { keySerde: str, valueSerde: jsonSerde() })
      .groupBy((_id, e) => ({ key: e.dept, value: e.salary }), {
        keySerde: str,
        valueSerde: jsonSerde<number>(),
      })
      .aggregate(
        () => 0,
        (_k, v, agg) => agg + v,
        (_k, v, agg) => agg - v,
        { storeName: 'payroll', valueSerde: jsonSerde<number>() },
      );
    const driver = createTopologyTestDriver(b.build());
    const input = driver.createInputTopic('employees', str, jsonSerde<{ dept: string; salary: number }>());
    await input.pipeInput('e1', { dept: 'eng', salary: 100 });
    await input.pipeInput('e2', { dept: 'eng', salary: 50 });
    await input.pipeInput('e1', { dept: 'eng', salary: 120 }); // same group: one change, -100 +120
    await input.pipeInput('e2', { dept: 'ops', salary: 50 });
    const payroll = driver.getKeyValueStore<string, number>('payroll');
    expect(payroll.get('eng')).toBe(120);
    expect(payroll.get('ops')).toBe(50);
  });

  it('filters, maps, branches and merges', async () => {
    const b = createStreamsBuilder();
    const orders = b.stream<string, number>('orders', { keySerde: str, valueSerde: jsonSerde() });
    const branches = orders
      .filter((_k, amount) => amount > 0)
      .filterNot((k) => k.startsWith('test-'))
      .split({ name: 'by-size-' })
      .branch((_k, amount) => amount >= 100, { name: 'large' })
      .branch((_k, amount) => amount >= 10, { name: 'medium', chain: (s) => s.mapValues((v) => v * 10) })
      .defaultBranch();
    expect([...branches.keys()]).toEqual(['by-size-large', 'by-size-medium', 'by-size-0']);
    branches
      .get('by-size-large')
      ?.map((k, v) => ({ key: k.toUpperCase(), value: v }))
      .to('large', { keySerde: str });
    const small = branches.get('by-size-0');
    const medium = branches.get('by-size-medium');
    if (small === undefined || medium === undefined) throw new Error('missing branch');
    small
      .merge(medium)
      .peek(() => undefined)
      .to('rest');
    const driver = createTopologyTestDriver(b.build());
    const input = driver.createInputTopic('orders', str, jsonSerde<number>());
    const large = driver.createOutputTopic('large', str, jsonSerde<number>());
    const rest = driver.createOutputTopic('rest', str, jsonSerde<number>());
    await input.pipeKeyValueList([
      { key: 'a', value: 150 },
      { key: 'b', value: 20 },
      { key: 'c', value: 5 },
      { key: 'd', value: -1 },
      { key: 'test-e', value: 500 },
    ]);
    expect(large.readKeyValuesToList()).toEqual([{ key: 'A', value: 150 }]);
    expect(rest.readKeyValuesToList()).toEqual([
      { key: 'b', value: 200 },
      { key: 'c', value: 5 },
    ]);
  });

  it('fires stream-time punctuators as stream time advances and wall-clock ones when the clock moves', async () => {
    const fired: string[] = [];
    const b = createStreamsBuilder();
    b.addStateStore({ name: 'seen', keySerde: str, valueSerde: jsonSerde<number>() });
    b.stream<string, string>('in', { keySerde: str, valueSerde: str })
      .process<string, number>(
        () => {
          let ctx: ProcessorContext<string, number>;
          let store: KeyValueStore<string, number>;
          return {
            init(c) {
              ctx = c;
              store = c.getStateStore('seen');
              c.schedule(100, 'stream-time', (t) => void fired.push(`stream@${t}`));
              c.schedule(1_000, 'wall-clock', (t) => {
                fired.push(`wall@${t}`);
                return ctx.forward({
                  key: 'total',
                  value: store.approximateNumEntries(),
                  timestamp: t,
                  headers: [],
                });
              });
            },
            process(r) {
              store.put(r.key, (store.get(r.key) ?? 0) + 1);
            },
          };
        },
        { stores: ['seen'], keySerde: str, valueSerde: jsonSerde() },
      )
      .to('totals');
    const driver = createTopologyTestDriver(b.build(), { initialWallClockTimeMs: 0 });
    const input = driver.createInputTopic('in', str, str);
    const totals = driver.createOutputTopic('totals', str, jsonSerde<number>());
    await input.pipeInput('a', 'x', 50); // stream time 50: aligned schedule at 0 fires
    await input.pipeInput('b', 'x', 120); // 120 >= 100: fires
    await input.pipeInput('c', 'x', 150); // next is 200: nothing
    await input.pipeInput('d', 'x', 450); // fires once, skipping missed intervals
    expect(fired).toEqual(['stream@50', 'stream@120', 'stream@450']);
    await driver.advanceWallClockTime(999);
    expect(totals.isEmpty()).toBe(true);
    await driver.advanceWallClockTime(1);
    expect(fired.at(-1)).toBe('wall@1000');
    expect(totals.readKeyValue()).toEqual({ key: 'total', value: 4 });
    await driver.advanceWallClockTime(2_500); // once, at 3500
    expect(fired.filter((f) => f.startsWith('wall'))).toEqual(['wall@1000', 'wall@3500']);
  });

  it('awaits asynchronous processors in order', async () => {
    const b = createStreamsBuilder();
    b.stream<string, string>('in', { keySerde: str, valueSerde: str })
      .process<string, string>(
        () => {
          let ctx: ProcessorContext<string, string>;
          return {
            init: (c) => void (ctx = c),
            async process(r) {
              await new Promise((resolve) => setTimeout(resolve, r.value === 'slow' ? 20 : 1));
              await ctx.forward({ ...r, value: `${r.value}!` });
            },
          };
        },
        { keySerde: str, valueSerde: str },
      )
      .mapValues((v) => v.toUpperCase())
      .to('out', { valueSerde: str });
    const driver = createTopologyTestDriver(b.build());
    const input = driver.createInputTopic('in', str, str);
    const out = driver.createOutputTopic('out', str, str);
    void input.pipeInput('k', 'slow');
    await input.pipeInput('k', 'fast');
    expect(out.readKeyValuesToList().map((kv) => kv.value)).toEqual(['SLOW!', 'FAST!']);
  });

  it('reads a global table from any task', async () => {
    const b = createStreamsBuilder();
    const names = b.globalTable<string, string>(
      'names',
      { keySerde: str, valueSerde: str },
      { storeName: 'names-store' },
    );
    b.stream<string, string>('ids', { keySerde: str, valueSerde: str })
      .process<string, string>(
        () => {
          let ctx: ProcessorContext<string, string>;
          return {
            init: (c) => void (ctx = c),
            process: (r) => {
              const store = ctx.getStateStore<KeyValueStore<string, string>>(names.queryableStoreName);
              return ctx.forward({ ...r, value: store.get(r.key) ?? 'unknown' });
            },
          };
        },
        { keySerde: str, valueSerde: str },
      )
      .to('named');
    const topology = b.build();
    expect(topology.describe().toString()).toContain(
      'Sub-topology: 0 for global store (will not generate tasks)',
    );
    const driver = createTopologyTestDriver(topology);
    await driver.createInputTopic('names', str, str).pipeInput('1', 'Ada');
    await driver.createInputTopic('ids', str, str).pipeRecordList([
      { key: '1', value: '' },
      { key: '2', value: '' },
    ]);
    expect(driver.createOutputTopic('named', str, str).readKeyValuesToList()).toEqual([
      { key: '1', value: 'Ada' },
      { key: '2', value: 'unknown' },
    ]);
  });

  it('says what to do for unknown topics and stores', () => {
    const driver = createTopologyTestDriver(wordCount());
    expect(() => driver.createInputTopic('nope', str, str)).toThrow(/does not read topic "nope"/);
    try {
      driver.getKeyValueStore('missing');
      expect.unreachable();
    } catch (err) {
      expect(isMillraceError(err, 'MR_TEST_DRIVER')).toBe(true);
    }
  });

  it('wraps processor failures with the node and position', () => {
    const b = createStreamsBuilder();
    b.stream<string, string>('in', { keySerde: str, valueSerde: str })
      .mapValues(
        () => {
          throw new Error('boom');
        },
        { name: 'exploder' },
      )
      .to('out');
    const driver = createTopologyTestDriver(b.build());
    const input = driver.createInputTopic('in', str, str);
    expect(() => input.pipeInput('k', 'v')).toThrow(
      /processor "exploder" of task 0_0 failed on in-0@0: boom/,
    );
  });
});
