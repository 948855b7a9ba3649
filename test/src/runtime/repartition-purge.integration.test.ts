import { describe, expect, it } from 'vitest';
import { stringSerde } from '../../../src/serdes/index.ts';
import { createStreamsBuilder } from '../../../src/topology/index.ts';
import { createTopics, eventually, produceStrings, uniqueName } from '../../helpers/kafka.ts';
import { appConfig, useTestApps } from '../../helpers/test-apps.ts';

/** Counts records by their value: the key changes, so the records go through a repartition topic. */
function countByValue(input: string) {
  const str = stringSerde();
  const b = createStreamsBuilder();
  b.stream<string, string>(input, { keySerde: str, valueSerde: str })
    .groupBy((_k, v) => v, { keySerde: str, valueSerde: str })
    .count({ storeName: 'by-value' });
  return b.build();
}

describe('repartition topic purge', () => {
  const t = useTestApps('purge');
  const kafka = t.kafka;

  it('deletes the consumed and committed records of repartition topics, never beyond the committed offsets', async () => {
    const input = uniqueName('purge-in');
    const appId = uniqueName('purge-app');
    await createTopics(kafka, [input], 3);
    const oracle = new Map<string, number>();
    const records = Array.from({ length: 6_000 }, (_, i) => {
      const value = `v${(i * 31) % 97}`;
      oracle.set(value, (oracle.get(value) ?? 0) + 1);
      return { key: `k${i}`, value };
    });
    const app = await t.start(
      countByValue(input),
      appConfig(appId, t.dirs[0]!, {
        'processing.guarantee': 'exactly_once_v2',
        'repartition.purge.interval.ms': 0,
      }),
    );
    try {
      await app.waitUntilRunning(60_000);
      const repartition = app.compiled!.internalTopics.find((t) => t.kind === 'repartition')!.name;
      // Two rounds: the purge after a commit covers what that commit committed.
      await produceStrings(kafka, input, records.slice(0, 3_000));
      await new Promise((r) => setTimeout(r, 1_000));
      await produceStrings(kafka, input, records.slice(3_000));
      const store = app.store<string, number>('by-value');
      expect(await eventually(() => [...oracle].every(([k, n]) => store.get(k) === n), 60_000)).toBe(true);

      const admin = kafka.admin();
      const purged = async () => {
        const earliest = await admin.listOffsets(repartition, 'earliest');
        const committed = await admin.listGroupOffsets(appId, [repartition]);
        const at = (p: number) => committed.find((c) => c.partition === p)?.offset ?? 0n;
        // Never beyond what the group committed (those records may still have to be read).
        for (const e of earliest) expect(e.offset).toBeLessThanOrEqual(at(e.partition));
        return earliest.every((e) => e.offset > 0n);
      };
      expect(await eventually(purged, 30_000)).toBe(true);
      const end = await admin.listOffsets(repartition, 'latest');
      expect(end.reduce((s, o) => s + o.offset, 0n)).toBeGreaterThanOrEqual(6_000n);
    } finally {
      await app.close();
    }
  });
});
