import { describe, expect, it } from 'vitest';
import {
  countSequences,
  countsReached,
  keyedInput,
  sequenceProblems,
} from '../../fixtures/runtime/count-oracle.ts';
import { countTopology } from '../../fixtures/runtime/count-topology.ts';
import { eventually, groupCaughtUp, produceStrings, readTopic } from '../../helpers/kafka.ts';
import { appConfig, useTestApps } from '../../helpers/test-apps.ts';

const ALL_TASKS = ['0_0', '0_1', '0_2', '0_3', '0_4', '0_5'];

describe('standby replicas when the other instance is SIGKILLed', () => {
  const t = useTestApps('standby-kill', 2);
  const kafka = t.kafka;

  it('the survivor promotes its warm copies, restores only the gap and counts exactly', async () => {
    const run = await t.newRun('sbk');
    const { input, output, appId } = run;
    const gen = keyedInput(4_000);
    const common = {
      'processing.guarantee': 'exactly_once_v2',
      'num.standby.replicas': 1,
      // The killed instance's membership and open transaction end by these timeouts (short for the test).
      'session.timeout.ms': 6_000,
      'transaction.timeout.ms': 2_000,
    } as const;
    const app = await t.start(countTopology(input, output), appConfig(appId, t.dirs[0]!, common));
    const b = t.spawnCountApp(run, { ...common, 'state.dir': t.dirs[1]! });
    await b.running;
    const standbys = () => [...app.metrics.standbyProgress.keys()].sort();
    // a runs three tasks and keeps standbys of exactly the other three (b's).
    const placed = () => {
      const mine = app.runningTaskIds();
      return (
        mine.length === 3 &&
        [...mine, ...standbys()].sort().join() === ALL_TASKS.join() &&
        !mine.some((id) => standbys().includes(id))
      );
    };
    expect(await eventually(placed, 60_000)).toBe(true);
    const moved = standbys();

    await produceStrings(kafka, input, gen.next(30_000));
    expect(await eventually(groupCaughtUp(kafka, appId, input, gen), 60_000)).toBe(true);
    const caughtUp = () =>
      [...app.metrics.standbyProgress.values()].every((p) => p.lag === 0 && p.applied > 0);
    expect(await eventually(caughtUp, 30_000)).toBe(true);

    // More input, and b dies at once: no final commit, no checkpoint, no LeaveGroup.
    await produceStrings(kafka, input, gen.next(300));
    b.child.kill('SIGKILL');
    expect((await b.exited).signal).toBe('SIGKILL');

    // After b's session expires, a takes b's tasks from its standbys.
    expect(await eventually(() => app.runningTaskIds().sort().join() === ALL_TASKS.join(), 45_000)).toBe(
      true,
    );
    let restored = 0;
    for (const id of moved) {
      const p = app.metrics.restoreProgress.get(`${id}/counts`);
      expect(p?.done).toBe(true);
      restored += p!.restored;
    }
    const movedKeys = [...gen.oracle.keys()].filter((k) =>
      moved.includes(app.taskForKey('counts', k)),
    ).length;
    expect(movedKeys).toBeGreaterThan(1_000);
    expect(restored).toBeLessThan(movedKeys / 10);

    expect(await eventually(countsReached([app], gen.oracle), 60_000)).toBe(true);
    expect(app.store<string, number>('counts').approximateNumEntries()).toBe(gen.oracle.size);
    await app.close();
    // b's open transaction (if the kill caught one) is aborted by its timeout: then the output is exact.
    const out = async () => readTopic(kafka, output, 'read_committed');
    expect(await eventually(async () => (await out()).length >= gen.total, 30_000, 500)).toBe(true);
    const committed = await out();
    expect(sequenceProblems(countSequences(committed), gen.oracle)).toEqual([]);
    expect(committed.length).toBe(gen.total);
  });
});
