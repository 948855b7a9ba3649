import { beforeAll, describe, expect, it } from 'vitest';
import { partitionFor } from '../../../src/kafka/index.ts';
import { stringSerde } from '../../../src/serdes/index.ts';
import { createStreamsBuilder } from '../../../src/topology/index.ts';
import { createTopics, eventually, produceStrings, uniqueName } from '../../helpers/kafka.ts';
import { useQueryInstances } from '../../helpers/query-instances.ts';
import { useTestApps } from '../../helpers/test-apps.ts';

const str = stringSerde();

describe('interactive queries across two instances', () => {
  const t = useTestApps('iq', 2);
  const kafka = t.kafka;
  const input = uniqueName('iq-in');
  const appId = uniqueName('iq-app');
  const oracle = new Map<string, number>();
  const iq = useQueryInstances(t, 'two-instances-token');
  const { apps, addresses, get } = iq;

  beforeAll(async () => {
    await createTopics(kafka, [input], 6);
    const records = Array.from({ length: 3000 }, (_, i) => {
      const key = `patient-${(i * 31) % 600}`;
      oracle.set(key, (oracle.get(key) ?? 0) + 1);
      return { key, value: `v${i}` };
    });
    await produceStrings(kafka, input, records);
    await iq.start(appId, () => {
      const b = createStreamsBuilder();
      b.stream<string, string>(input, { keySerde: str, valueSerde: str })
        .groupByKey()
        .count({ storeName: 'counts' });
      return b.build();
    });
  });

  it('answers every key of a 6-partition store on both instances, saying which instance served it', async () => {
    // Both instances run, each owns some of the 6 tasks, and every count has reached the oracle's value.
    const settled = await eventually(async () => {
      if (!apps.every((a) => a.state === 'RUNNING')) return false;
      const inst = await apps[0]!.instances();
      if (inst.length !== 2 || inst.some((i) => i.tasks.length === 0)) return false;
      const all = (await get(0, `/stores/${appId}/counts?limit=10000`)).json() as { entries?: unknown[] };
      if (all.entries?.length !== oracle.size) return false;
      return (all.entries as { key: string; value: number }[]).every((e) => oracle.get(e.key) === e.value);
    }, 90_000);
    expect(settled).toBe(true);

    const instances = await apps[0]!.instances();
    const ownerOf = (key: string) => {
      const task = `0_${partitionFor(str.serialize(key), 6)}`;
      return instances.find((i) => i.tasks.includes(task))!.server;
    };
    const forwarded = [0, 0];
    for (const [key, count] of oracle) {
      for (const i of [0, 1]) {
        const res = await get(i, `/stores/${appId}/counts/keys/${encodeURIComponent(key)}`);
        expect(res.statusCode, `${key} via ${addresses[i]}`).toBe(200);
        expect(res.json()).toEqual({ key, value: count, servedBy: ownerOf(key) });
        if (ownerOf(key) !== addresses[i]) forwarded[i]!++;
      }
    }
    // Each instance forwarded the keys it does not own (both own tasks, so both forwarded some).
    expect(forwarded[0]).toBeGreaterThan(0);
    expect(forwarded[1]).toBeGreaterThan(0);
    expect((await get(1, `/stores/${appId}/counts/keys/nobody`)).statusCode).toBe(404);
  });

  it('scans through either instance return every key exactly once', async () => {
    const expected = [...oracle].sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    for (const i of [0, 1]) {
      const body = (await get(i, `/stores/${appId}/counts?limit=10000`)).json() as {
        entries: { key: string; value: number }[];
        servedBy: string[];
      };
      expect(body.entries.map((e) => [e.key, e.value])).toEqual(expected);
      expect([...body.servedBy].sort()).toEqual([...addresses].sort());
      const prefix = (await get(i, `/stores/${appId}/counts?prefix=patient-1&limit=10000`)).json() as {
        entries: { key: string }[];
      };
      expect(prefix.entries.map((e) => e.key)).toEqual(
        expected.map(([k]) => k).filter((k) => k.startsWith('patient-1')),
      );
    }
  });
});
