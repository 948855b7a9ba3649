import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createStreamsApp, type StreamsApp } from '../../../src/runtime/streams-app.ts';
import { longSerde, stringSerde } from '../../../src/serdes/index.ts';
import { createStreamsBuilder, type Topology } from '../../../src/topology/index.ts';
import { windowedSerde } from '../../../src/topology/internal/windowed-serdes.ts';
import { TimeWindows } from '../../../src/topology/windows.ts';
import {
  bootstrapServers,
  createTopics,
  eventually,
  produceStrings,
  testKafka,
  uniqueName,
} from '../../helpers/kafka.ts';

const WINDOW_MS = 5_000;
const STORE = 'per-window';
const str = stringSerde();

/** Hopping windows (size 5 s, advance 2.5 s) counted per key; a day of grace, so nothing is late. */
function windowTopology(input: string, output: string): Topology {
  const b = createStreamsBuilder();
  b.stream<string, string>(input, { keySerde: str, valueSerde: str })
    .groupByKey()
    .windowedBy(TimeWindows.ofSizeAndGrace(WINDOW_MS, 86_400_000).advanceBy(WINDOW_MS / 2))
    .count({ storeName: STORE })
    .toStream()
    .to(output, { keySerde: windowedSerde(str), valueSerde: longSerde() });
  return b.build();
}

function batch(n: number, seed: number, t0: number) {
  let x = seed;
  const rnd = (m: number): number => (x = (x * 1103515245 + 12345) % 2147483648) % m;
  return Array.from({ length: n }, (_, i) => ({
    key: `k${rnd(40)}`,
    value: 'v',
    timestamp: t0 + i * 20 - rnd(3_000),
  }));
}

/** The oracle: every hopping window [s, s + 5000) with s a multiple of 2500 containing the record. */
function addToOracle(oracle: Map<string, number>, recs: readonly { key: string; timestamp: number }[]): void {
  for (const r of recs) {
    const last = r.timestamp - (r.timestamp % (WINDOW_MS / 2));
    for (let s = last; s > r.timestamp - WINDOW_MS; s -= WINDOW_MS / 2) {
      const id = `${r.key}@${s}`;
      oracle.set(id, (oracle.get(id) ?? 0) + 1);
    }
  }
}

async function snapshot(app: StreamsApp): Promise<Map<string, number>> {
  const m = new Map<string, number>();
  for await (const e of app.store(STORE).all() as AsyncIterable<unknown>) {
    const w = e as { key: string; windowStart: number; value: { value: number } };
    m.set(`${w.key}@${w.windowStart}`, w.value.value);
  }
  return m;
}

describe('a window store after its state directory is deleted', () => {
  const kafka = testKafka();
  const stateDir = mkdtempSync(join(tmpdir(), 'millrace-wrestore-'));
  const apps: StreamsApp[] = [];

  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()));
    await kafka.close();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('is restored from its changelog to the same windows, and keeps counting from them', async () => {
    const input = uniqueName('wrestore-in');
    const output = uniqueName('wrestore-out');
    const appId = uniqueName('wrestore-app');
    await createTopics(kafka, [input, output], 2);
    const config = {
      'application.id': appId,
      'bootstrap.servers': bootstrapServers(),
      'state.dir': stateDir,
      'processing.guarantee': 'exactly_once_v2' as const,
    };
    const start = async (): Promise<StreamsApp> => {
      const app = createStreamsApp(windowTopology(input, output), config, { log: () => undefined });
      apps.push(app);
      await app.start();
      await app.waitUntilRunning(60_000);
      return app;
    };
    const same = (a: Map<string, number>, b: Map<string, number>): boolean =>
      a.size === b.size && [...b].every(([k, v]) => a.get(k) === v);

    const oracle = new Map<string, number>();
    const first = batch(2_000, 7, 1_700_000_000_000);
    addToOracle(oracle, first);
    const a = await start();
    await produceStrings(kafka, input, first);
    expect(await eventually(async () => same(await snapshot(a), oracle), 60_000)).toBe(true);
    const before = await snapshot(a);
    await a.close();

    const appDir = join(stateDir, appId);
    expect(existsSync(appDir)).toBe(true);
    rmSync(appDir, { recursive: true, force: true });

    const b = await start();
    expect(await snapshot(b)).toEqual(before);
    for (const t of ['0_0', '0_1']) {
      const p = b.metrics.restoreProgress.get(`${t}/${STORE}`);
      expect(p?.done).toBe(true);
      expect(p?.restored).toBeGreaterThan(0);
    }

    // New records land in restored windows too: their counts continue from the restored values.
    const second = batch(1_000, 11, 1_700_000_000_000 + 30_000);
    addToOracle(oracle, second);
    await produceStrings(kafka, input, second);
    expect(await eventually(async () => same(await snapshot(b), oracle), 60_000)).toBe(true);
    expect(await snapshot(b)).toEqual(oracle);
  });
});
