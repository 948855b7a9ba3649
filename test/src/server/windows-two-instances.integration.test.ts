import { beforeAll, describe, expect, it } from 'vitest';
import { partitionFor } from '../../../src/kafka/index.ts';
import { stringSerde } from '../../../src/serdes/index.ts';
import { createStreamsBuilder, TimeWindows } from '../../../src/topology/index.ts';
import { createTopics, eventually, produceStrings, uniqueName } from '../../helpers/kafka.ts';
import { useQueryInstances } from '../../helpers/query-instances.ts';
import { useTestApps } from '../../helpers/test-apps.ts';

const str = stringSerde();
const WINDOW_MS = 60_000;

interface Answer {
  key: string;
  start: string;
  end: string | null;
  value: number;
  servedBy: string;
}

describe('windowed interactive queries across two instances', () => {
  const t = useTestApps('iqw', 2);
  const kafka = t.kafka;
  const input = uniqueName('iqw-in');
  const appId = uniqueName('iqw-app');
  // Recent event times (the topic's retention would delete old ones), aligned to a window.
  const t0 = Math.floor((Date.now() - 3_600_000) / WINDOW_MS) * WINDOW_MS;
  /** key → window start → count: the oracle, computed from the records alone. */
  const oracle = new Map<string, Map<number, number>>();
  const iq = useQueryInstances(t, 'windows-two-instances-token');
  const { apps, addresses, get } = iq;

  beforeAll(async () => {
    await createTopics(kafka, [input], 6);
    const records = Array.from({ length: 2400 }, (_, i) => {
      const key = `patient-${(i * 37) % 150}`;
      const timestamp = t0 + ((i * 7919) % (6 * WINDOW_MS)); // six windows, out of order
      const start = Math.floor(timestamp / WINDOW_MS) * WINDOW_MS;
      const perKey = oracle.get(key) ?? new Map<number, number>();
      perKey.set(start, (perKey.get(start) ?? 0) + 1);
      oracle.set(key, perKey);
      return { key, value: `v${i}`, timestamp };
    });
    await produceStrings(kafka, input, records);
    await iq.start(appId, () => {
      const b = createStreamsBuilder();
      b.stream<string, string>(input, { keySerde: str, valueSerde: str })
        .groupByKey()
        // A day of grace: no record is late, whatever order the partitions are read in.
        .windowedBy(TimeWindows.ofSizeAndGrace(WINDOW_MS, 86_400_000))
        .count({ storeName: 'per-minute' });
      return b.build();
    });
  });

  const iso = (ms: number) => new Date(ms).toISOString();
  const expectedOf = (key: string, from = 0, to = Infinity) =>
    [...oracle.get(key)!]
      .filter(([start]) => start >= from && start <= to)
      .sort(([a], [b]) => a - b)
      .map(([start, count]) => ({ key, start: iso(start), value: count }));
  const shape = (e: Answer) => {
    // The window's end is its start + size (the store's layout carries the size).
    expect(e.end, `${e.key}@${e.start}`).toBe(iso(Date.parse(e.start) + WINDOW_MS));
    return { key: e.key, start: e.start, value: e.value };
  };
  const windowCount = () => [...oracle.values()].reduce((n, m) => n + m.size, 0);

  it('answers every (key, window) through either instance, forwarding keys owned by the other', async () => {
    const settled = await eventually(async () => {
      if (!apps.every((a) => a.state === 'RUNNING')) return false;
      const inst = await apps[0]!.instances();
      if (inst.length !== 2 || inst.some((i) => i.tasks.length === 0)) return false;
      const res = await get(0, `/stores/${appId}/per-minute/windows?limit=10000`);
      if (res.statusCode !== 200) return false;
      const entries = (res.json() as { entries: Answer[] }).entries;
      return (
        entries.length === windowCount() &&
        entries.every((e) => oracle.get(e.key)?.get(Date.parse(e.start)) === e.value)
      );
    }, 90_000);
    expect(settled).toBe(true);

    const instances = await apps[0]!.instances();
    const ownerOf = (key: string) =>
      instances.find((i) => i.tasks.includes(`0_${partitionFor(str.serialize(key), 6)}`))!.server;
    const forwarded = [0, 0];
    for (const key of oracle.keys()) {
      for (const i of [0, 1]) {
        const res = await get(i, `/stores/${appId}/per-minute/windows/${encodeURIComponent(key)}?limit=100`);
        expect(res.statusCode, `${key} via ${addresses[i]}`).toBe(200);
        const body = res.json() as { entries: Answer[]; servedBy: string };
        expect(body.entries.map(shape)).toEqual(expectedOf(key));
        expect(body.servedBy).toBe(ownerOf(key));
        if (ownerOf(key) !== addresses[i]) forwarded[i]!++;
      }
    }
    expect(forwarded[0]).toBeGreaterThan(0);
    expect(forwarded[1]).toBeGreaterThan(0);
  });

  it('cuts by window start: epoch ms and RFC 3339 bounds agree', async () => {
    const from = t0 + 2 * WINDOW_MS;
    const to = t0 + 3 * WINDOW_MS;
    for (const key of [...oracle.keys()].slice(0, 20)) {
      for (const [i, q] of [
        [0, `from=${from}&to=${to}`],
        [1, `from=${encodeURIComponent(iso(from))}&to=${encodeURIComponent(iso(to))}`],
      ] as const) {
        const res = await get(i, `/stores/${appId}/per-minute/windows/${encodeURIComponent(key)}?${q}`);
        expect((res.json() as { entries: Answer[] }).entries.map(shape)).toEqual(expectedOf(key, from, to));
      }
    }
  });

  it('scans through either instance: every window once, ordered by key bytes then start, limit respected', async () => {
    const all = [...oracle.keys()]
      .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
      .flatMap((k) => expectedOf(k));
    for (const i of [0, 1]) {
      const body = (await get(i, `/stores/${appId}/per-minute/windows?limit=10000`)).json() as {
        entries: Answer[];
        servedBy: string[];
      };
      expect(body.entries.map(shape)).toEqual(all);
      expect([...body.servedBy].sort()).toEqual([...addresses].sort());
      const cut = (await get(i, `/stores/${appId}/per-minute/windows?limit=37`)).json() as {
        entries: Answer[];
      };
      expect(cut.entries.map(shape)).toEqual(all.slice(0, 37));
    }
  });
});
