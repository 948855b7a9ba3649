import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createStreamsApp } from '../../../src/runtime/streams-app.ts';
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

describe('a fenced transactional producer under exactly_once_v2', () => {
  const kafka = testKafka();
  const stateDir = mkdtempSync(join(tmpdir(), 'millrace-fence-'));

  afterAll(async () => {
    await kafka.close();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('closes the tasks dirty, resumes them from the last commit and keeps counting exactly', async () => {
    const input = uniqueName('fence-in');
    const output = uniqueName('fence-out');
    const appId = uniqueName('fence-app');
    await createTopics(kafka, [input, output], 6);
    const gen = keyedInput(500);
    const logs: string[] = [];
    const app = createStreamsApp(
      countTopology(input, output),
      {
        'application.id': appId,
        'bootstrap.servers': bootstrapServers(),
        'state.dir': stateDir,
        'processing.guarantee': 'exactly_once_v2',
      },
      { log: (_l, m) => logs.push(m) },
    );
    let producing = true;
    try {
      await app.start();
      await app.waitUntilRunning(60_000);
      const feeding = (async () => {
        while (producing) {
          await produceStrings(kafka, input, gen.next(500));
          await new Promise((r) => setTimeout(r, 50));
        }
      })();

      // Another producer takes the app's transactional id, twice: each time the app's open transaction is
      // aborted by the broker and its producer fenced.
      const processId = readFileSync(join(stateDir, appId, 'process-id'), 'utf8').trim();
      for (let i = 1; i <= 2; i++) {
        const processed = app.metrics.processedTotal;
        expect(await eventually(() => app.metrics.processedTotal > processed + 1000, 30_000, 20)).toBe(true);
        const fencer = kafka.transactionalProducer({ transactionalId: `${appId}-${processId}-0` });
        await fencer.beginTransaction();
        await fencer.close();
        expect(await eventually(() => app.metrics.taskMigratedTotal >= i, 30_000, 20)).toBe(true);
      }
      producing = false;
      await feeding;

      await app.waitUntilRunning(60_000);
      const store = app.store<string, number>('counts');
      expect(await eventually(() => [...gen.oracle].every(([k, n]) => store.get(k) === n), 60_000)).toBe(
        true,
      );
      expect(app.state).toBe('RUNNING');
      expect(logs.some((m) => m.includes('closing them dirty'))).toBe(true);
      // Read the committed output while the app still runs: the store above also shows buffered writes, and
      // the fencer's producer may still be re-fencing (its InitProducerId retries), so the last transaction
      // is checked through a regular commit, not through close().
      const out = await readCommittedOutput(kafka, output, gen.total, 60_000);
      expect(sequenceProblems(countSequences(out), gen.oracle)).toEqual([]);
      expect(out.length).toBe(gen.total);
    } finally {
      producing = false;
      await app.close();
    }
  });
});
