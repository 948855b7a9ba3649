import { describe, expect, it } from 'vitest';
import type { StreamsApp } from '../../../src/runtime/streams-app.ts';
import { longSerde, stringSerde } from '../../../src/serdes/index.ts';
import { createStreamsBuilder, type Topology } from '../../../src/topology/index.ts';
import { windowedSerde } from '../../../src/topology/internal/windowed-serdes.ts';
import { TimeWindows } from '../../../src/topology/windows.ts';
import { createTopics, eventually, produceStrings, readTopic, uniqueName } from '../../helpers/kafka.ts';
import { appConfig, useTestApps } from '../../helpers/test-apps.ts';

const WINDOW_MS = 10_000;
const str = stringSerde();

/**
 * Re-keys user events by their region (the value) and counts them twice after the key change: a plain
 * count and a tumbling-window count. Both need a repartition topic (`<app>-by-region-repartition`,
 * `<app>-by-region-w-repartition`). The grace is a day, so no record is late whatever order the
 * repartitioned records arrive in: the result depends only on the input, which the oracle computes.
 */
function regionTopology(input: string, counts: string, windowed: string): Topology {
  const b = createStreamsBuilder();
  const events = b.stream<string, string>(input, { keySerde: str, valueSerde: str });
  events
    .groupBy((_user, region) => region, { name: 'by-region', keySerde: str, valueSerde: str })
    .count({ storeName: 'region-counts' })
    .toStream()
    .to(counts, { keySerde: str, valueSerde: longSerde() });
  events
    .groupBy((_user, region) => region, { name: 'by-region-w', keySerde: str, valueSerde: str })
    .windowedBy(TimeWindows.ofSizeAndGrace(WINDOW_MS, 86_400_000))
    .count({ storeName: 'region-window-counts' })
    .toStream()
    .to(windowed, { keySerde: windowedSerde(str), valueSerde: longSerde() });
  return b.build();
}

describe('a key change before an aggregation, on three instances', () => {
  const t = useTestApps('repart', 3);
  const kafka = t.kafka;

  it('creates and uses the repartition topics; counts and windowed counts equal the oracle', async () => {
    const { input, output: countsTopic, appId } = await t.newRun('repart');
    const windowedTopic = uniqueName('repart-wcounts');
    await createTopics(kafka, [windowedTopic], 6);

    // Input: 3000 events of 200 users over 8 regions, timestamps out of order over ~2 minutes.
    let x = 17;
    const rnd = (n: number): number => (x = (x * 1103515245 + 12345) % 2147483648) % n;
    const t0 = 1_700_000_000_000;
    const records = Array.from({ length: 3_000 }, (_, i) => ({
      key: `user-${rnd(200)}`,
      value: `region-${rnd(8)}`,
      timestamp: t0 + i * 40 - rnd(5_000),
    }));
    const oracle = new Map<string, number>();
    const windowOracle = new Map<string, number>();
    for (const r of records) {
      oracle.set(r.value, (oracle.get(r.value) ?? 0) + 1);
      const start = r.timestamp - (r.timestamp % WINDOW_MS);
      const id = `${r.value}@${start}`;
      windowOracle.set(id, (windowOracle.get(id) ?? 0) + 1);
    }

    const apps: StreamsApp[] = [];
    for (const dir of t.dirs) {
      const config = appConfig(appId, dir, { 'processing.guarantee': 'exactly_once_v2' });
      apps.push(await t.start(regionTopology(input, countsTopic, windowedTopic), config));
    }
    // 3 sub-topologies x 6 partitions, each task on exactly one instance.
    const allTasks = (): string[] => apps.flatMap((a) => a.runningTaskIds()).sort();
    expect(
      await eventually(() => {
        const ids = allTasks();
        return (
          ids.length === 18 && new Set(ids).size === 18 && apps.every((a) => a.runningTaskIds().length > 0)
        );
      }, 60_000),
    ).toBe(true);

    const topics = await kafka.admin().listTopics();
    expect(topics).toContain(`${appId}-by-region-repartition`);
    expect(topics).toContain(`${appId}-by-region-w-repartition`);
    expect((await kafka.admin().describeTopic(`${appId}-by-region-repartition`)).partitions).toBe(6);

    await produceStrings(kafka, input, records);

    const storeCounts = (): Map<string, number> => {
      const m = new Map<string, number>();
      for (const a of apps) {
        for (const k of oracle.keys()) {
          const v = a.store<string, number>('region-counts').get(k);
          if (v !== undefined) m.set(k, v);
        }
      }
      return m;
    };
    const windowCounts = async (): Promise<Map<string, number>> => {
      const m = new Map<string, number>();
      for (const a of apps) {
        // A window store yields its windows: { key, windowStart, value: { value, timestamp } }.
        for await (const e of a.store('region-window-counts').all() as AsyncIterable<unknown>) {
          const w = e as { key: string; windowStart: number; value: { value: number } };
          m.set(`${w.key}@${w.windowStart}`, w.value.value);
        }
      }
      return m;
    };
    const same = (a: Map<string, number>, b: Map<string, number>): boolean =>
      a.size === b.size && [...b].every(([k, v]) => a.get(k) === v);
    expect(await eventually(() => same(storeCounts(), oracle), 60_000)).toBe(true);
    expect(await eventually(async () => same(await windowCounts(), windowOracle), 60_000)).toBe(true);
    expect(await windowCounts()).toEqual(windowOracle);

    // The repartition topics carried every record: each event once per grouping, plus transaction markers.
    // (End offsets, not a read from offset 0: purging committed repartition records moves the start.)
    for (const t of [`${appId}-by-region-repartition`, `${appId}-by-region-w-repartition`]) {
      const ends = await kafka.admin().listOffsets(t, 'latest');
      expect(ends.reduce((n, o) => n + o.offset, 0n)).toBeGreaterThanOrEqual(BigInt(records.length));
    }

    await Promise.all(apps.map((a) => a.close()));
    // Outputs (read_committed): per key the last value is the final count.
    const lastOf = (recs: Awaited<ReturnType<typeof readTopic>>, key: (k: Buffer) => string) => {
      const m = new Map<string, number>();
      const sorted = [...recs].sort((a, b) => (a.offset < b.offset ? -1 : a.offset > b.offset ? 1 : 0));
      for (const r of sorted) m.set(key(r.key as Buffer), Number(longSerde().deserialize(r.value as Buffer)));
      return m;
    };
    expect(lastOf(await readTopic(kafka, countsTopic), (k) => k.toString())).toEqual(oracle);
    const wk = windowedSerde(str);
    expect(
      lastOf(await readTopic(kafka, windowedTopic), (k) => {
        const w = wk.deserialize(k);
        return `${w.key}@${w.window.start}`;
      }),
    ).toEqual(windowOracle);
  });
});
