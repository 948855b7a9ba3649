import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CountRun } from '../lib/count-run.ts';
import { sleep } from '../lib/kafka-io.ts';
import { chaosResult, type ChaosScenario } from '../scenario.ts';

/** Task dirs are named `<subtopology>_<partition>` under `<state.dir>/<application.id>/`. */
const TASK_DIR = /^\d+_\d+$/;

/**
 * State directories deleted: an instance is stopped (SIGKILL or graceful, alternately), then its whole
 * state dir is deleted — the first time only one task dir — and it starts again; the restore must rebuild
 * the stores from the changelogs. Instances use fixed group.instance.ids (as pods do), since a deleted
 * state dir also deletes the generated one. Oracle as kill-loop.
 */
export const stateWipe: ChaosScenario = {
  name: 'state-wipe',
  description: "delete a stopped instance's state dir (once, a single task dir) between restarts",
  guarantee: 'exactly_once_v2',
  ci: { durationMs: 10_000, instances: 2, keys: 300, rate: 1000, partitions: 6 },
  soak: { durationMs: 600_000, instances: 3, keys: 5000, rate: 5000, partitions: 12 },
  async run(ctx) {
    const run = new CountRun(ctx, 'wipe', { fixedInstanceIds: true });
    let faults = 0;
    try {
      await run.setup(5000);
      for (let slot = 0; slot < ctx.sizes.instances; slot++) await run.start(slot);
      run.startFeeder();
      const until = Date.now() + ctx.sizes.durationMs;
      // At least two rounds even when the duration is short: one single task dir, one whole state dir.
      for (let round = 0; round < 2 || Date.now() < until; round++) {
        await sleep(ctx.random.int(1000, 3000));
        const slot = ctx.random.pick(run.live());
        const hard = round % 2 === 0;
        ctx.log(`state-wipe: ${hard ? 'SIGKILL' : 'graceful stop of'} instance ${slot}`);
        if (hard) await run.kill(slot);
        else await run.stop(slot);
        const appDir = join(run.dirs[slot]!, run.appId);
        const tasks = existsSync(appDir) ? readdirSync(appDir).filter((d) => TASK_DIR.test(d)) : [];
        if (round === 0 && tasks.length > 0) {
          const task = ctx.random.pick(tasks);
          ctx.log(`state-wipe: deleting task dir ${task} of instance ${slot}`);
          rmSync(join(appDir, task), { recursive: true, force: true });
        } else {
          ctx.log(`state-wipe: deleting the state dir of instance ${slot} (${tasks.length} task dirs)`);
          rmSync(run.dirs[slot]!, { recursive: true, force: true });
        }
        faults++;
        await run.start(slot, 60_000);
      }
    } catch (err) {
      await run.dispose();
      throw err;
    }
    const { records, problems } = await run.finish();
    return chaosResult(faults, records, problems);
  },
};
