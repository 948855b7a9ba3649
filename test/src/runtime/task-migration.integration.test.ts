import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { countsReached, expectExactCounts, keyedInput } from '../../fixtures/runtime/count-oracle.ts';
import { countTopology } from '../../fixtures/runtime/count-topology.ts';
import { eventually, produceStrings } from '../../helpers/kafka.ts';
import { appConfig, useTestApps } from '../../helpers/test-apps.ts';

describe('a fenced transactional producer under exactly_once_v2', () => {
  const t = useTestApps('fence');
  const kafka = t.kafka;
  const stateDir = t.dirs[0]!;

  it('closes the tasks dirty, resumes them from the last commit and keeps counting exactly', async () => {
    const { input, output, appId } = await t.newRun('fence');
    const gen = keyedInput(500);
    const logs: string[] = [];
    let producing = true;
    const app = await t.start(
      countTopology(input, output),
      appConfig(appId, stateDir, { 'processing.guarantee': 'exactly_once_v2' }),
      { log: (_l, m) => logs.push(m) },
    );
    try {
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
      expect(await eventually(countsReached([app], gen.oracle), 60_000)).toBe(true);
      expect(app.state).toBe('RUNNING');
      expect(logs.some((m) => m.includes('closing them dirty'))).toBe(true);
      // Read the committed output while the app still runs: the store above also shows buffered writes, and
      // the fencer's producer may still be re-fencing (its InitProducerId retries), so the last transaction
      // is checked through a regular commit, not through close().
      await expectExactCounts(kafka, output, gen, 60_000);
    } finally {
      producing = false;
      await app.close();
    }
  });
});
