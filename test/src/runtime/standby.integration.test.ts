import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StreamsApp } from '../../../src/runtime/streams-app.ts';
import { countsReached, expectExactCounts, keyedInput } from '../../fixtures/runtime/count-oracle.ts';
import { countTopology } from '../../fixtures/runtime/count-topology.ts';
import { eventually, produceStrings } from '../../helpers/kafka.ts';
import { appConfig, useTestApps } from '../../helpers/test-apps.ts';

const ALL_TASKS = ['0_0', '0_1', '0_2', '0_3', '0_4', '0_5'];
const sorted = (ids: Iterable<string>) => [...ids].sort();

describe('standby replicas (num.standby.replicas: 1, two instances)', () => {
  const t = useTestApps('standby', 2);

  it("keep warm copies of each other's tasks, so a failover restores only the gap, and count exactly", async () => {
    const { input, output, appId } = await t.newRun('standby');
    // Many keys: each task's store holds ~700 entries, and its changelog ~5000 records.
    const gen = keyedInput(4_000);
    const start = (dir: string) =>
      t.start(
        countTopology(input, output),
        appConfig(appId, dir, { 'processing.guarantee': 'exactly_once_v2', 'num.standby.replicas': 1 }),
      );
    const standbys = (app: StreamsApp) => sorted(app.metrics.standbyProgress.keys());
    const counted = (live: StreamsApp[]) => countsReached(live, gen.oracle);

    const a = await start(t.dirs[0]!);
    const b = await start(t.dirs[1]!);
    // Each instance runs three tasks active and keeps standbys of exactly the other's three.
    const placed = () => {
      const ra = a.runningTaskIds();
      const rb = b.runningTaskIds();
      return (
        ra.length === 3 &&
        rb.length === 3 &&
        sorted([...ra, ...rb]).join() === ALL_TASKS.join() &&
        standbys(a).join() === sorted(rb).join() &&
        standbys(b).join() === sorted(ra).join()
      );
    };
    expect(await eventually(placed, 60_000)).toBe(true);

    await produceStrings(t.kafka, input, gen.next(30_000));
    expect(await eventually(counted([a, b]), 60_000)).toBe(true);
    // The standbys follow the changelogs: caught up, with the records applied on a's disk.
    const caughtUp = (app: StreamsApp) => () =>
      [...app.metrics.standbyProgress.values()].every((p) => p.lag === 0 && p.applied > 0);
    expect(await eventually(caughtUp(a), 30_000)).toBe(true);
    expect(await eventually(caughtUp(b), 30_000)).toBe(true);
    const moved = b.runningTaskIds();
    for (const task of moved) expect(existsSync(join(t.dirs[0]!, appId, task))).toBe(true);
    const standbyApplied = moved.reduce((s, task) => s + a.metrics.standbyProgress.get(task)!.applied, 0);

    // b stops; a promotes its standbys of b's tasks and restores only what they had not applied yet.
    await b.close();
    expect(await eventually(() => sorted(a.runningTaskIds()).join() === ALL_TASKS.join(), 60_000)).toBe(true);
    expect(a.metrics.standbyProgress.size).toBe(0);
    let restored = 0;
    for (const task of moved) {
      const p = a.metrics.restoreProgress.get(`${task}/counts`);
      expect(p?.done).toBe(true);
      restored += p!.restored;
    }
    const movedKeys = [...gen.oracle.keys()].filter((k) => moved.includes(a.taskForKey('counts', k))).length;
    expect(movedKeys).toBeGreaterThan(1_000);
    // A full restore would replay every changelog record of the moved tasks (≥ their store size).
    expect(standbyApplied).toBeGreaterThanOrEqual(movedKeys);
    expect(restored).toBeLessThan(movedKeys / 10);

    await produceStrings(t.kafka, input, gen.next(5_000));
    expect(await eventually(counted([a]), 60_000)).toBe(true);
    await a.close();
    await expectExactCounts(t.kafka, output, gen);
  });
});
