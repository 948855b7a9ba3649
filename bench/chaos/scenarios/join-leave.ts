import { CountRun } from '../lib/count-run.ts';
import { sleep } from '../lib/kafka-io.ts';
import { chaosResult, type ChaosScenario } from '../scenario.ts';

/**
 * Instances joining and leaving: a pool of slots of the count topology; at random, a running instance
 * closes gracefully (it leaves the group, its tasks move and are restored elsewhere) or a stopped one
 * starts (tasks move back), while input keeps coming. At least one instance runs at any time. Every
 * graceful stop must exit 0. Oracle as kill-loop.
 */
export const joinLeave: ChaosScenario = {
  name: 'join-leave',
  description: 'instances join and leave the group (graceful close and start) repeatedly',
  guarantee: 'exactly_once_v2',
  ci: { durationMs: 15_000, instances: 3, keys: 300, rate: 1000, partitions: 6 },
  soak: { durationMs: 600_000, instances: 4, keys: 5000, rate: 5000, partitions: 12 },
  async run(ctx) {
    const run = new CountRun(ctx, 'join');
    let faults = 0;
    try {
      await run.setup(5000);
      await run.start(0);
      run.startFeeder();
      const until = Date.now() + ctx.sizes.durationMs;
      while (Date.now() < until) {
        await sleep(ctx.random.int(500, 3000));
        const live = run.live();
        const leave = live.length > 1 && (run.stopped().length === 0 || ctx.random.next() < 0.5);
        if (leave) {
          const slot = ctx.random.pick(live);
          ctx.log(`join-leave: instance ${slot} leaves`);
          await run.stop(slot);
        } else {
          const slot = ctx.random.pick(run.stopped());
          ctx.log(`join-leave: instance ${slot} joins`);
          await run.start(slot, 30_000);
        }
        faults++;
      }
    } catch (err) {
      await run.dispose();
      throw err;
    }
    const { records, problems } = await run.finish();
    return chaosResult(faults, records, problems);
  },
};
