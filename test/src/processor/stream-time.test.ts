import { describe, expect, it } from 'vitest';
import { createTask } from '../../../src/processor/index.ts';
import { longSerde, stringSerde } from '../../../src/serdes/index.ts';
import { createTopologyTestDriver } from '../../../src/test-driver/index.ts';
import {
  createStreamsBuilder,
  SessionWindows,
  TimeWindows,
  windowedSerde,
  type Windowed,
} from '../../../src/topology/index.ts';

const str = stringSerde();
const enc = (s: string) => new TextEncoder().encode(s);

describe('stream time', () => {
  it('a task resumes from initialStreamTimeMs (what a runtime restores from its commit metadata)', () => {
    const seen: number[] = [];
    const b = createStreamsBuilder();
    b.stream<string, string>('in', { keySerde: str, valueSerde: str }).process(() => {
      let ctx: { currentStreamTimeMs(): number };
      return {
        init(c) {
          ctx = c;
        },
        process() {
          seen.push(ctx.currentStreamTimeMs());
        },
      };
    });
    const subtopology = b.build().compile({ applicationId: 'app' }).subtopologies[0]!;
    const task = createTask({
      applicationId: 'app',
      subtopology,
      partition: 0,
      collector: { send: () => undefined },
      storeFactory: () => {
        throw new Error('no stores');
      },
      initialStreamTimeMs: 1_000,
    });
    task.init();
    expect(task.streamTimeMs()).toBe(1_000);
    const rec = (offset: number, timestamp: number) => ({
      topic: 'in',
      partition: 0,
      offset,
      key: enc('k'),
      value: enc('v'),
      timestamp,
      headers: [],
    });
    void task.process(rec(0, 500)); // older than the resumed stream time: it does not move back
    void task.process(rec(1, 1_500));
    expect(seen).toEqual([1_000, 1_500]);
    task.close();
  });

  it("windowed aggregations close windows by the task's stream time, which records filtered out upstream advance too", async () => {
    const b = createStreamsBuilder();
    b.stream<string, string>('in', { keySerde: str, valueSerde: str })
      .filter((_k, v) => v !== 'tick')
      .groupByKey()
      .windowedBy(TimeWindows.ofSizeWithNoGrace(10))
      .count({ storeName: 'per-10ms' })
      .toStream()
      .to('out', { keySerde: windowedSerde(str), valueSerde: longSerde() });
    const driver = createTopologyTestDriver(b.build());
    const input = driver.createInputTopic('in', str, str);
    const out = driver.createOutputTopic('out', windowedSerde(str), longSerde());
    await input.pipeInput('k', 'v', 5);
    await input.pipeInput('k', 'tick', 100); // filtered out, but the task's stream time is now 100
    await input.pipeInput('k', 'v', 6); // [0, 10) closed at 100: late
    await input.pipeInput('k', 'v', 105);
    const got = out.readKeyValuesToList().map((kv) => [(kv.key as Windowed<string>).window.start, kv.value]);
    expect(got).toEqual([
      [0, 1],
      [100, 1],
    ]);
    // [0, 10) is past its retention (size + grace = 10 ms) at stream time 105: expired from the store.
    expect(await collect(driver.getWindowStore<string, { value: number }>('per-10ms').all())).toEqual([
      [100, 1],
    ]);
    expect(() => driver.getSessionStore('per-10ms')).toThrow(/not a session store: use getWindowStore/);
    driver.close();
  });

  it('getSessionStore returns a session store', async () => {
    const b = createStreamsBuilder();
    b.stream<string, string>('in', { keySerde: str, valueSerde: str })
      .groupByKey()
      .windowedBy(SessionWindows.ofInactivityGapWithNoGrace(10))
      .count({ storeName: 'sessions' });
    const driver = createTopologyTestDriver(b.build());
    const input = driver.createInputTopic('in', str, str);
    for (const t of [1, 5, 30]) await input.pipeInput('k', 'v', t);
    const sessions = [];
    for await (const s of driver.getSessionStore<string, { value: number }>('sessions').all()) {
      sessions.push([s.start, s.end, s.value.value]);
    }
    expect(sessions).toEqual([
      [1, 5, 2],
      [30, 30, 1],
    ]);
    expect(() => driver.getWindowStore('sessions')).toThrow(/not a window store/);
    driver.close();
  });
});

async function collect(entries: AsyncIterable<{ windowStart: number; value: { value: number } }>) {
  const out: [number, number][] = [];
  for await (const e of entries) out.push([e.windowStart, e.value.value]);
  return out;
}
