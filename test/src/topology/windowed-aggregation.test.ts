import { describe, expect, it } from 'vitest';
import { longSerde, stringSerde } from '../../../src/serdes/index.ts';
import { createTopologyTestDriver } from '../../../src/test-driver/index.ts';
import { createStreamsBuilder } from '../../../src/topology/index.ts';
import { windowedSerde } from '../../../src/topology/internal/windowed-serdes.ts';
import { SessionWindows, SlidingWindows, TimeWindows, type Windowed } from '../../../src/topology/windows.ts';

const str = stringSerde();
type Rec = { key: string; ts: number };
type Win = TimeWindows | SlidingWindows | SessionWindows;
const id = (k: string, s: number, e: number): string => `${k}@${s}-${e}`;

/** Input with out-of-order and late records: a deterministic pseudo-random walk over time. */
function input(n: number, keys: number, seed: number): Rec[] {
  let x = seed;
  const rnd = (): number => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
  const out: Rec[] = [];
  let t = 1_000;
  for (let i = 0; i < n; i++) {
    t += Math.floor(rnd() * 40);
    const jitter = rnd() < 0.25 ? Math.floor(rnd() * 300) : 0; // out of order, sometimes beyond the grace
    out.push({ key: `k${Math.floor(rnd() * keys)}`, ts: Math.max(0, t - jitter) });
  }
  return out;
}

// ---- oracles: direct simulations of the definitions, independent of the implementation ----

function timeOracle(w: TimeWindows, recs: Rec[]): { counts: Map<string, number>; streamTime: number } {
  const counts = new Map<string, number>();
  let st = -1;
  for (const r of recs) {
    st = Math.max(st, r.ts);
    for (let start = 0; start <= r.ts; start += w.advanceMs) {
      const end = start + w.sizeMs;
      if (r.ts >= end || end <= st - w.graceMs) continue;
      counts.set(id(r.key, start, end), (counts.get(id(r.key, start, end)) ?? 0) + 1);
    }
  }
  return { counts, streamTime: st };
}

function slidingOracle(w: SlidingWindows, recs: Rec[]): { counts: Map<string, number>; streamTime: number } {
  const d = w.timeDifferenceMs;
  const accepted: Rec[] = [];
  const counts = new Map<string, number>();
  let st = -1;
  for (const r of recs) {
    st = Math.max(st, r.ts);
    const close = st - w.graceMs;
    if (r.ts + 1 + d <= close) continue;
    accepted.push(r);
    const mine = accepted.filter((a) => a.key === r.key);
    const starts = new Set<number>();
    for (const a of mine) {
      starts.add(a.ts < d ? 0 : a.ts - d);
      if (mine.some((b) => b.ts >= a.ts + 1 && b.ts <= a.ts + 1 + d)) starts.add(a.ts + 1);
    }
    for (const s of starts) {
      if (s + d <= close) continue; // closed windows keep their last value
      const n = mine.filter((a) => a.ts >= s && a.ts <= s + d).length;
      counts.set(id(r.key, s, s + d), n);
    }
  }
  return { counts, streamTime: st };
}

function sessionOracle(w: SessionWindows, recs: Rec[]): { counts: Map<string, number>; streamTime: number } {
  const sessions = new Map<string, { start: number; end: number; n: number }[]>();
  let st = -1;
  for (const r of recs) {
    st = Math.max(st, r.ts);
    const list = sessions.get(r.key) ?? [];
    const near = list.filter((s) => s.end >= r.ts - w.gapMs && s.start <= r.ts + w.gapMs);
    const start = Math.min(r.ts, ...near.map((s) => s.start));
    const end = Math.max(r.ts, ...near.map((s) => s.end));
    if (end < st - w.graceMs - w.gapMs) continue; // Kafka Streams' session close time
    const n = near.reduce((sum, s) => sum + s.n, 1);
    sessions.set(r.key, [...list.filter((s) => !near.includes(s)), { start, end, n }]);
  }
  const counts = new Map<string, number>();
  for (const [k, list] of sessions) for (const s of list) counts.set(id(k, s.start, s.end), s.n);
  return { counts, streamTime: st };
}

function oracle(w: Win, recs: Rec[]): { counts: Map<string, number>; streamTime: number } {
  return w.type === 'time'
    ? timeOracle(w, recs)
    : w.type === 'sliding'
      ? slidingOracle(w, recs)
      : sessionOracle(w, recs);
}

/** Kafka Streams' close rule: time/sliding windows at `end <= st - grace`, sessions at `end < st - grace - gap`. */
function closed(w: Win, end: number, streamTime: number): boolean {
  return w.type === 'session' ? end < streamTime - w.graceMs - w.gapMs : end <= streamTime - w.graceMs;
}

/** Emit on close: replays the input through the oracle, emitting each window the first time it is closed. */
function closeOracle(w: Win, recs: Rec[]): Map<string, number> {
  const emitted = new Map<string, number>();
  for (let i = 1; i <= recs.length; i++) {
    const { counts, streamTime } = oracle(w, recs.slice(0, i));
    for (const [k, n] of counts) {
      if (!emitted.has(k) && closed(w, Number(k.split('-').at(-1)), streamTime)) emitted.set(k, n);
    }
  }
  return emitted;
}

async function run(w: Win, recs: Rec[], emit: 'onWindowUpdate' | 'onWindowClose', appId: string) {
  const b = createStreamsBuilder();
  const grouped = b.stream<string, string>('in', { keySerde: str, valueSerde: str }).groupByKey();
  const windowed = w.type === 'session' ? grouped.windowedBy(w) : grouped.windowedBy(w);
  windowed
    .count({ storeName: 'counts', emitStrategy: emit })
    .toStream()
    .to('out', { keySerde: windowedSerde(str), valueSerde: longSerde() });
  const driver = createTopologyTestDriver(b.build(), { applicationId: appId });
  const inTopic = driver.createInputTopic('in', str, str);
  const out = driver.createOutputTopic<Windowed<string>, number>('out', windowedSerde(str), longSerde());
  for (const r of recs) await inTopic.pipeInput(r.key, 'v', r.ts);
  const records = out.readKeyValuesToList();
  const dropped = driver.droppedRecordCount();
  driver.close();
  return Object.assign(
    records.map((r) => ({ id: id(r.key!.key, r.key!.window.start, r.key!.window.end), value: r.value })),
    { dropped },
  );
}

const WINDOWS: [string, Win][] = [
  ['tumbling', TimeWindows.ofSizeAndGrace(100, 50)],
  ['hopping', TimeWindows.ofSizeAndGrace(100, 50).advanceBy(30)],
  ['sliding', SlidingWindows.ofTimeDifferenceAndGrace(80, 50)],
  ['session', SessionWindows.ofInactivityGapAndGrace(60, 50)],
];

describe('windowed counts equal an independent oracle (out-of-order and late input)', () => {
  const recs = input(400, 4, 7);

  it.each(WINDOWS)(
    '%s, emit on every update: the last update per window is the oracle count',
    async (name, w) => {
      const got = await run(w, recs, 'onWindowUpdate', `upd-${name}`);
      const last = new Map<string, number>();
      for (const r of got) {
        if (r.value === null)
          last.delete(r.id); // a session merged away
        else last.set(r.id, r.value);
      }
      expect(last).toEqual(oracle(w, recs).counts);
    },
  );

  it.each(WINDOWS)(
    '%s, emit on window close: each closed window exactly once, with its final count',
    async (name, w) => {
      const got = await run(w, recs, 'onWindowClose', `close-${name}`);
      const expected = closeOracle(w, recs);
      expect(expected.size).toBeGreaterThan(10);
      expect(got.length).toBe(new Set(got.map((r) => r.id)).size); // no window emitted twice
      expect(new Map(got.map((r) => [r.id, r.value]))).toEqual(expected);
    },
  );

  it('the input really has late records, and they are counted as dropped', async () => {
    const w = TimeWindows.ofSizeAndGrace(100, 50);
    let st = -1;
    let late = 0;
    for (const r of recs) {
      st = Math.max(st, r.ts);
      if (Math.floor(r.ts / 100) * 100 + 100 <= st - 50) late++;
    }
    expect(late).toBeGreaterThan(5);
    const { dropped } = await run(w, recs, 'onWindowUpdate', 'late-count-app');
    expect(dropped).toBe(late);
  });
});

describe('Kafka Streams docs: window boundaries', () => {
  it('reproduces "Hopping time windows": size 5000, advance 3000 → [0;5000),[3000;8000), aligned to the epoch', async () => {
    const got = await run(
      TimeWindows.ofSizeWithNoGrace(5000).advanceBy(3000),
      [{ key: 'k', ts: 4000 }],
      'onWindowUpdate',
      'docs-hop',
    );
    expect(got.map((r) => r.id).sort()).toEqual(['k@0-5000', 'k@3000-8000']);
  });

  it('reproduces "Tumbling time windows": one window per record, lower bound inclusive, upper exclusive', async () => {
    const got = await run(
      TimeWindows.ofSizeWithNoGrace(5000),
      [
        { key: 'k', ts: 4999 },
        { key: 'k', ts: 5000 },
      ],
      'onWindowUpdate',
      'docs-tumble',
    );
    expect(got.map((r) => r.id)).toEqual(['k@0-5000', 'k@5000-10000']);
  });
});

describe('window store retention', () => {
  it('keeps the entry count bounded over a long run of advancing timestamps', async () => {
    const b = createStreamsBuilder();
    b.stream<string, string>('in', { keySerde: str, valueSerde: str })
      .groupByKey()
      .windowedBy(TimeWindows.ofSizeAndGrace(10, 5))
      .count({ storeName: 'counts', retentionMs: 100 });
    const driver = createTopologyTestDriver(b.build());
    const inTopic = driver.createInputTopic('in', str, str);
    const store = driver.getWindowStore<string, unknown>('counts');
    const sizes: number[] = [];
    for (let i = 0; i < 4000; i++) {
      await inTopic.pipeInput(`k${i % 7}`, 'v', i * 3);
      if (i % 500 === 499) sizes.push(store.approximateNumEntries());
    }
    driver.close();
    // 7 keys × windows within retention + one segment (50 ms): at most 7 × (150 / 10 + 1) entries.
    for (const n of sizes) expect(n).toBeLessThanOrEqual(7 * 16);
    expect(Math.max(...sizes.slice(2))).toBeLessThanOrEqual(Math.max(...sizes.slice(0, 2)));
  });
});
