import { CountRun } from '../lib/count-run.ts';
import { sleep } from '../lib/kafka-io.ts';
import { chaosResult, type ChaosScenario } from '../scenario.ts';

/**
 * SIGKILL loop: N instances of the count topology under exactly_once_v2; every few seconds a random
 * instance is killed (no shutdown at all: open transactions, unflushed state) and started again at once on
 * its state dir, while input keeps coming. Oracle: per key the committed output is exactly 1..n and the
 * store equals the count.
 */
export const killLoop: ChaosScenario = {
  name: 'kill-loop',
  description: 'SIGKILL a random instance every few seconds and restart it (exactly_once_v2)',
  guarantee: 'exactly_once_v2',
  ci: { durationMs: 15_000, instances: 2, keys: 300, rate: 1000, partitions: 6 },
  soak: { durationMs: 600_000, instances: 3, keys: 5000, rate: 5000, partitions: 12 },
  async run(ctx) {
    const run = new CountRun(ctx, 'kill');
    let faults = 0;
    try {
      await run.setup(5000);
      for (let slot = 0; slot < ctx.sizes.instances; slot++) await run.start(slot);
      ctx.log(`kill-loop: ${ctx.sizes.instances} instances run`);
      run.startFeeder();
      const until = Date.now() + ctx.sizes.durationMs;
      while (Date.now() < until) {
        await sleep(ctx.random.int(1000, 4000));
        const slot = ctx.random.pick(run.live());
        ctx.log(`kill-loop: SIGKILL instance ${slot}`);
        await run.kill(slot);
        faults++;
        // Restarted at once: the same process id (state dir) fences the zombie and takes its place.
        const t0 = Date.now();
        await run.start(slot, 30_000);
        ctx.log(`kill-loop: instance ${slot} back in ${Date.now() - t0} ms`);
      }
    } catch (err) {
      await run.dispose();
      throw err;
    }
    const { records, problems } = await run.finish();
    return chaosResult(faults, records, problems);
  },
};
