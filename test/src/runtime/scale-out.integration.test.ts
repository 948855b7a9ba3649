import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createStreamsApp, type StreamsApp } from '../../../src/runtime/streams-app.ts';
import {
  countSequences,
  keyedInput,
  readCommittedOutput,
  sequenceProblems,
} from '../../fixtures/runtime/count-oracle.ts';
import { countTopology } from '../../fixtures/runtime/count-topology.ts';
import {
  bootstrapServers,
  createTopics,
  eventually,
  produceStrings,
  testKafka,
  uniqueName,
} from '../../helpers/kafka.ts';

const ALL_TASKS = ['0_0', '0_1', '0_2', '0_3', '0_4', '0_5'];

describe('two instances of one application', () => {
  const kafka = testKafka();
  const dirs = [0, 1].map(() => mkdtempSync(join(tmpdir(), 'millrace-scale-')));
  const apps: StreamsApp[] = [];

  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()));
    await kafka.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('share the partitions, take over on a graceful stop, share again on restart, and count exactly', async () => {
    const input = uniqueName('scale-in');
    const output = uniqueName('scale-out');
    const appId = uniqueName('scale-app');
    await createTopics(kafka, [input, output], 6);
    const gen = keyedInput(1_000);
    const start = async (dir: string) => {
      const app = createStreamsApp(
        countTopology(input, output),
        {
          'application.id': appId,
          'bootstrap.servers': bootstrapServers(),
          'state.dir': dir,
          'processing.guarantee': 'exactly_once_v2',
        },
        { log: () => undefined },
      );
      apps.push(app);
      await app.start();
      return app;
    };
    /** Every key's count, read from whichever of `live` runs its task, equals the oracle. */
    const counted = (live: StreamsApp[]) => () =>
      [...gen.oracle].every(([k, n]) => live.some((a) => a.store<string, number>('counts').get(k) === n));
    const shared = (a: StreamsApp, b: StreamsApp) => () => {
      const ta = a.runningTaskIds();
      const tb = b.runningTaskIds();
      return ta.length === 3 && tb.length === 3 && [...ta, ...tb].sort().join() === ALL_TASKS.join();
    };

    // Phase 1: both run and split the six tasks.
    const a = await start(dirs[0]!);
    let b = await start(dirs[1]!);
    expect(await eventually(shared(a, b), 60_000)).toBe(true);
    await produceStrings(kafka, input, gen.next(10_000));
    expect(await eventually(counted([a, b]), 60_000)).toBe(true);

    // Phase 2: b stops gracefully; a takes over b's tasks, restores them and keeps counting.
    const movedTasks = b.runningTaskIds();
    await b.close();
    expect(await eventually(() => a.runningTaskIds().sort().join() === ALL_TASKS.join(), 60_000)).toBe(true);
    for (const t of movedTasks) {
      const p = a.metrics.restoreProgress.get(`${t}/counts`);
      expect(p?.done).toBe(true);
      expect(p?.restored).toBeGreaterThan(0);
    }
    await produceStrings(kafka, input, gen.next(10_000));
    expect(await eventually(counted([a]), 60_000)).toBe(true);

    // Phase 3: b comes back (same state dir); the tasks are shared again and the counts stay exact.
    b = await start(dirs[1]!);
    expect(await eventually(shared(a, b), 60_000)).toBe(true);
    await produceStrings(kafka, input, gen.next(10_000));
    expect(await eventually(counted([a, b]), 60_000)).toBe(true);
    expect(a.metrics.rebalanceTotal).toBeGreaterThanOrEqual(2);

    await Promise.all([a.close(), b.close()]);
    const out = await readCommittedOutput(kafka, output, gen.total);
    expect(sequenceProblems(countSequences(out), gen.oracle)).toEqual([]);
    expect(out.length).toBe(gen.total);
  });
});
