import { describe, expect, it } from 'vitest';
import { expectExactCounts, keyedInput } from '../../fixtures/runtime/count-oracle.ts';
import { countTopology } from '../../fixtures/runtime/count-topology.ts';
import { eventually, groupCaughtUp, produceStrings } from '../../helpers/kafka.ts';
import { appConfig, useTestApps } from '../../helpers/test-apps.ts';

describe('static membership (group.instance.id derived from the persisted process id)', () => {
  const t = useTestApps('static', 2);

  it('an instance that is SIGKILLed or stopped and restarts takes its place back without a rebalance of the other', async () => {
    const run = await t.newRun('static');
    const { input, output, appId } = run;
    const gen = keyedInput(500);
    const admin = t.kafka.admin();
    const config = {
      'processing.guarantee': 'exactly_once_v2',
      // The restarted instance must not rely on the group expiring the old one: a long session.
      'session.timeout.ms': 60_000,
      'leave.group.on.close': false,
    } as const;
    const startB = () => t.spawnCountApp(run, { ...config, 'state.dir': t.dirs[1]! });
    const drained = groupCaughtUp(t.kafka, appId, input, gen);

    const a = await t.start(countTopology(input, output), appConfig(appId, t.dirs[0]!, config));
    let b = startB();
    await b.running;
    expect(await eventually(() => a.runningTaskIds().length === 3, 60_000)).toBe(true);
    const aTasks = a.runningTaskIds().sort().join();
    const rebalances = a.metrics.rebalanceTotal;
    await produceStrings(t.kafka, input, gen.next(5_000));
    expect(await eventually(drained, 60_000)).toBe(true);

    // 1. SIGKILL: the new process has the same process id (state dir), so the same group.instance.id; the
    //    broker hands it the killed member's partitions at once, without waiting 60 s for its session.
    b.child.kill('SIGKILL');
    expect((await b.exited).signal).toBe('SIGKILL');
    b = startB();
    await b.running;
    await produceStrings(t.kafka, input, gen.next(5_000));
    expect(await eventually(drained, 60_000)).toBe(true);

    // 2. A graceful stop that keeps the place (leave.group.on.close false), then a restart.
    b.child.kill('SIGTERM');
    expect((await b.exited).code).toBe(0);
    b = startB();
    await b.running;
    await produceStrings(t.kafka, input, gen.next(5_000));
    expect(await eventually(drained, 60_000)).toBe(true);

    // The other instance never took part in a rebalance, and kept its tasks.
    expect(a.metrics.rebalanceTotal).toBe(rebalances);
    expect(a.runningTaskIds().sort().join()).toBe(aTasks);
    const group = await admin.describeGroup(appId);
    expect(group.members.length).toBe(2);
    expect(group.members.every((m) => m.groupInstanceId?.startsWith(`${appId}-`))).toBe(true);

    b.child.kill('SIGTERM');
    await b.exited;
    await a.close();
    await expectExactCounts(t.kafka, output, gen);
  });
});
