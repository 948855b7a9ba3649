import { describe, expect, it } from 'vitest';
import { jsonSerde, stringSerde } from '../../../src/index.ts';
import { createTopologyTestDriver } from '../../../src/test-driver/index.ts';
import { windowedSerde } from '../../../src/topology/internal/windowed-serdes.ts';
import type { Windowed } from '../../../src/topology/windows.ts';
import { orderEvent, orders, type OrderWindow } from '../../../bench/scenarios/orders.ts';
import { profileEvent, profiles } from '../../../bench/scenarios/profiles.ts';

const str = stringSerde();
const topics = { input: 'bench-in', output: 'bench-out', appId: 'bench-app' };

describe('the Millrace side of the benchmark scenarios', () => {
  it('orders: the last update of each tenant window equals an independently computed count and revenue', async () => {
    const driver = createTopologyTestDriver(orders.millraceTopology(topics));
    const input = driver.createInputTopic(topics.input, str, str);
    const output = driver.createOutputTopic(topics.output, windowedSerde(str), jsonSerde<OrderWindow>());
    const oracle = new Map<string, OrderWindow>();
    for (let i = 0; i < 30_000; i += 7) {
      const e = orderEvent(i, 5);
      await input.pipeInput(e.key, e.value, e.timestamp);
      const id = `${e.key}@${e.timestamp - (e.timestamp % 60_000)}`;
      const w = oracle.get(id) ?? { count: 0, revenueCents: 0 };
      w.count++;
      w.revenueCents += (JSON.parse(e.value) as { amountCents: number }).amountCents;
      oracle.set(id, w);
    }
    const last = new Map<string, OrderWindow>();
    for (const { key, value } of output.readKeyValuesToList()) {
      const k = key as Windowed<string>;
      last.set(`${k.key}@${k.window.start}`, value as OrderWindow);
    }
    expect(oracle.size).toBeGreaterThan(10);
    expect(last).toEqual(oracle);
    driver.close();
  });

  it('profiles: the healthcare spec is rewired to the run topics; one output per visible change', async () => {
    const driver = createTopologyTestDriver(profiles.millraceTopology(topics));
    const input = driver.createInputTopic(topics.input, str, str);
    const output = driver.createOutputTopic(topics.output, str, jsonSerde<Record<string, unknown> | null>());
    // Oracle: per patient, per field, the value with the newest updatedAt (ties: the later event); a
    // delete clears fields written at or before it. The generator gives every event a distinct eventId.
    const fields = new Map<string, Map<string, { v: unknown; t: string }>>();
    const deletedAt = new Map<string, string>();
    for (let i = 0; i < 2_000; i++) {
      const e = profileEvent(i, 50);
      await input.pipeInput(e.key, e.value, e.timestamp);
      const v = JSON.parse(e.value) as Record<string, unknown>;
      const t = nanos(v.updatedAt as string);
      const mine = fields.get(e.key) ?? new Map<string, { v: unknown; t: string }>();
      fields.set(e.key, mine);
      if (v.deleted === true) {
        if (t > (deletedAt.get(e.key) ?? '')) {
          deletedAt.set(e.key, t);
          for (const [name, f] of mine) if (f.t <= t) mine.delete(name);
        }
        continue;
      }
      if (t <= (deletedAt.get(e.key) ?? '')) continue;
      for (const [name, value] of Object.entries(v)) {
        if (['eventId', 'patientId', 'updatedAt'].includes(name)) continue;
        const f = mine.get(name);
        if (f === undefined || t >= f.t) mine.set(name, { v: value, t });
      }
    }
    const current = output.readKeyValuesToMap();
    for (const [patient, mine] of fields) {
      const expected = Object.fromEntries([...mine].map(([n, f]) => [n, f.v]));
      const actual = current.get(patient);
      if (Object.keys(expected).length === 0) expect(actual ?? undefined).toBeUndefined();
      else {
        const { patientId: _p, updatedAt: _u, ...rest } = actual as Record<string, unknown>;
        expect(rest).toEqual(expected);
      }
    }
    driver.close();
  });
});

/** RFC 3339 UTC with 9 fractional digits, as the generator writes it: sortable as text. */
function nanos(iso: string): string {
  expect(iso).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
  return iso;
}
