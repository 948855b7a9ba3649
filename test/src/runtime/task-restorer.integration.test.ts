import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createStreamsApp, type StoreRestoreProgress } from '../../../src/runtime/streams-app.ts';
import { keyedInput } from '../../fixtures/runtime/count-oracle.ts';
import { countTopology } from '../../fixtures/runtime/count-topology.ts';
import {
  bootstrapServers,
  createTopics,
  eventually,
  produceStrings,
  testKafka,
  uniqueName,
} from '../../helpers/kafka.ts';

async function snapshot(app: ReturnType<typeof createStreamsApp>): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for await (const { key, value } of app.store<string, number>('counts').all()) out.set(key, value);
  return out;
}

describe.each(['exactly_once_v2', 'at_least_once'] as const)('restore under %s', (guarantee) => {
  const kafka = testKafka();
  const stateDir = mkdtempSync(join(tmpdir(), 'millrace-restore-'));

  afterAll(async () => {
    await kafka.close();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('restores a task whose state directory was deleted to exactly the same contents, reporting progress', async () => {
    const input = uniqueName('restore-in');
    const output = uniqueName('restore-out');
    const appId = uniqueName('restore-app');
    await createTopics(kafka, [input, output], 6);
    const gen = keyedInput(3_000);
    await produceStrings(kafka, input, gen.next(30_000));
    const config = {
      'application.id': appId,
      'bootstrap.servers': bootstrapServers(),
      'state.dir': stateDir,
      'processing.guarantee': guarantee,
      'commit.interval.ms': 200,
      // Small restore batches: progress is reported several times.
      'restore.batch.size': 500,
    };
    const quiet = { log: () => undefined };

    const first = createStreamsApp(countTopology(input, output), config, quiet);
    await first.start();
    await first.waitUntilRunning(60_000);
    const store = first.store<string, number>('counts');
    expect(await eventually(() => [...gen.oracle].every(([k, n]) => store.get(k) === n), 60_000)).toBe(true);
    const before = await snapshot(first);
    await first.close();
    expect(before).toEqual(gen.oracle);

    const lost = '0_2';
    const taskDir = join(stateDir, appId, lost);
    expect(existsSync(taskDir)).toBe(true);
    rmSync(taskDir, { recursive: true, force: true });

    const progress: StoreRestoreProgress[] = [];
    const logs: string[] = [];
    const second = createStreamsApp(countTopology(input, output), config, {
      log: (_level, m) => logs.push(m),
      onRestoreProgress: (p) => progress.push({ ...p }),
    });
    try {
      await second.start();
      await second.waitUntilRunning(60_000);
      expect(second.runningTaskIds().sort()).toEqual(['0_0', '0_1', '0_2', '0_3', '0_4', '0_5']);
      // Every key, compared with the contents before the stop (and so with the oracle).
      expect(await snapshot(second)).toEqual(before);

      const lostReports = progress.filter((p) => p.taskId === lost);
      const last = lostReports.at(-1)!;
      expect(last.done).toBe(true);
      // Everything of the lost task came back from its changelog: at least one record per key it holds.
      const keysOfLost = [...before.keys()].filter((k) => second.taskForKey('counts', k) === lost).length;
      expect(keysOfLost).toBeGreaterThan(0);
      expect(last.restored).toBeGreaterThanOrEqual(keysOfLost);
      expect(lostReports.filter((p) => !p.done).length).toBeGreaterThan(1);
      expect(second.metrics.restoreProgress.get(`${lost}/counts`)).toEqual({
        restored: last.restored,
        total: last.total,
        done: true,
      });
      expect(second.metrics.restoredRecordsTotal).toBeGreaterThanOrEqual(last.restored);
      expect(logs.some((m) => m.includes(`task ${lost}`) && m.includes('(done)'))).toBe(true);
      // The other tasks kept their state: they restore nothing but transaction markers.
      for (const p of progress.filter((x) => x.taskId !== lost && x.done)) expect(p.restored).toBe(0);
    } finally {
      await second.close();
    }
  });
});
