import { describe, expect, it } from 'vitest';
import type { StreamsApp } from '../../../src/runtime/streams-app.ts';
import { countsReached, expectExactCounts, keyedInput } from '../../fixtures/runtime/count-oracle.ts';
import { countTopology } from '../../fixtures/runtime/count-topology.ts';
import { eventually, produceStrings } from '../../helpers/kafka.ts';
import { appConfig, useTestApps } from '../../helpers/test-apps.ts';

const ALL_TASKS = ['0_0', '0_1', '0_2', '0_3', '0_4', '0_5'];

describe('two instances of one application', () => {
  const t = useTestApps('scale', 2);

  it('share the partitions, take over on a graceful stop, share again on restart, and count exactly', async () => {
    const { input, output, appId } = await t.newRun('scale');
    const gen = keyedInput(1_000);
    const start = (dir: string) =>
      t.start(
        countTopology(input, output),
        appConfig(appId, dir, { 'processing.guarantee': 'exactly_once_v2' }),
      );
    /** Every key's count, read from whichever of `live` runs its task, equals the oracle. */
    const counted = (live: StreamsApp[]) => countsReached(live, gen.oracle);
    const shared = (a: StreamsApp, b: StreamsApp) => () => {
      const ta = a.runningTaskIds();
      const tb = b.runningTaskIds();
      return ta.length === 3 && tb.length === 3 && [...ta, ...tb].sort().join() === ALL_TASKS.join();
    };

    // Phase 1: both run and split the six tasks.
    const a = await start(t.dirs[0]!);
    let b = await start(t.dirs[1]!);
    expect(await eventually(shared(a, b), 60_000)).toBe(true);
    await produceStrings(t.kafka, input, gen.next(10_000));
    expect(await eventually(counted([a, b]), 60_000)).toBe(true);

    // Phase 2: b stops gracefully; a takes over b's tasks, restores them and keeps counting.
    const movedTasks = b.runningTaskIds();
    await b.close();
    expect(await eventually(() => a.runningTaskIds().sort().join() === ALL_TASKS.join(), 60_000)).toBe(true);
    for (const task of movedTasks) {
      const p = a.metrics.restoreProgress.get(`${task}/counts`);
      expect(p?.done).toBe(true);
      expect(p?.restored).toBeGreaterThan(0);
    }
    await produceStrings(t.kafka, input, gen.next(10_000));
    expect(await eventually(counted([a]), 60_000)).toBe(true);

    // Phase 3: b comes back (same state dir); the tasks are shared again and the counts stay exact.
    b = await start(t.dirs[1]!);
    expect(await eventually(shared(a, b), 60_000)).toBe(true);
    await produceStrings(t.kafka, input, gen.next(10_000));
    expect(await eventually(counted([a, b]), 60_000)).toBe(true);
    expect(a.metrics.rebalanceTotal).toBeGreaterThanOrEqual(2);

    await Promise.all([a.close(), b.close()]);
    await expectExactCounts(t.kafka, output, gen);
  });
});
