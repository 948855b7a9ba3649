import { beforeAll, describe, expect, it } from 'vitest';
import { longSerde, stringSerde } from '../../../src/serdes/index.ts';
import { createStreamsBuilder, TimeWindows, windowedSerde } from '../../../src/topology/index.ts';
import * as broker from '../../helpers/kafka.ts';
import { appConfig, useTestApps } from '../../helpers/test-apps.ts';

const str = stringSerde();
const wKey = windowedSerde(str);
const N = 20_000;
const KEYS = 200;
const SIZE_MS = 60_000;
const BASE = 1_700_000_000_000 - (1_700_000_000_000 % SIZE_MS);

function windowedCount(input: string, output: string) {
  const b = createStreamsBuilder();
  b.stream<string, string>(input, { keySerde: str, valueSerde: str })
    .groupByKey()
    .windowedBy(TimeWindows.ofSizeAndGrace(SIZE_MS, 600_000))
    .count({ storeName: 'per-minute' })
    .toStream()
    .to(output, { keySerde: wKey, valueSerde: longSerde() });
  return b.build();
}

// The record cache (statestore.cache.max.bytes, on by default) folds the updates of a window between two
// commits into one: far fewer updates than records reach the output and the changelog, and the last update
// of every window is still its full count.
describe.each(['at_least_once', 'exactly_once_v2'] as const)('record cache under %s', (guarantee) => {
  const t = useTestApps('cache');
  const kafka = t.kafka;
  const input = broker.uniqueName('cache-in');
  const output = broker.uniqueName('cache-out');
  const appId = broker.uniqueName('cache-app');
  const oracle = new Map<string, number>();

  beforeAll(async () => {
    await broker.createTopics(kafka, [input, output], 3);
    const records = Array.from({ length: N }, (_, i) => {
      const key = `k${(i * 7919) % KEYS}`;
      const timestamp = BASE + i * 15; // 300 s: five windows
      const id = `${key}@${timestamp - (timestamp % SIZE_MS)}`;
      oracle.set(id, (oracle.get(id) ?? 0) + 1);
      return { key, value: `v${i}`, timestamp };
    });
    await broker.produceStrings(kafka, input, records);
  });

  it('emits fewer window updates than records, and the last update of each window equals the oracle', async () => {
    const app = await t.start(
      windowedCount(input, output),
      appConfig(appId, t.dirs[0]!, { 'processing.guarantee': guarantee, 'commit.interval.ms': 1000 }),
    );
    await app.waitUntilRunning(60_000);
    const last = new Map<string, number>();
    const updates: number[] = [];
    const read = async (): Promise<boolean> => {
      const records = await broker.readTopic(kafka, output);
      updates[0] = records.length;
      last.clear();
      for (const r of records) {
        const w = wKey.deserialize(r.key!);
        last.set(`${w.key}@${w.window.start}`, Number(r.value!.readBigInt64BE()));
      }
      return [...oracle].every(([id, n]) => last.get(id) === n);
    };
    expect(await broker.eventually(read, 90_000, 1000)).toBe(true);
    await app.close();
    expect(last).toEqual(oracle);
    expect(updates[0]).toBeLessThan(N / 2);
    const changelog = await broker.readTopic(kafka, `${appId}-per-minute-changelog`);
    expect(changelog.length).toBeLessThan(N / 2);
    expect(changelog.length).toBeGreaterThanOrEqual(oracle.size);
  });
});
