import { describe, expect, it } from 'vitest';
import { expectExactCounts, keyedInput } from '../../fixtures/runtime/count-oracle.ts';
import { countTopology } from '../../fixtures/runtime/count-topology.ts';
import { eventually, groupCaughtUp, produceStrings, readTopic } from '../../helpers/kafka.ts';
import { appConfig, useTestApps } from '../../helpers/test-apps.ts';

const KILLS = 5;

describe('exactly_once_v2 under SIGKILL', () => {
  const t = useTestApps('kill');
  const kafka = t.kafka;
  const stateDir = t.dirs[0]!;

  it(`loses and duplicates nothing when the instance is killed ${KILLS} times mid-run and restarted`, async () => {
    const run = await t.newRun('kill');
    const { input, output, appId } = run;
    const gen = keyedInput(300);
    await produceStrings(kafka, input, gen.next(20_000));

    const config = {
      'state.dir': stateDir,
      'processing.guarantee': 'exactly_once_v2',
      // No short session timeout: the restarted instance has the killed one's group.instance.id (derived from
      // the process id in the state dir) and takes its place at once, instead of waiting for its session.
    };
    const admin = kafka.admin();
    const outputEnd = async () =>
      (await admin.listOffsets(output, 'latest')).reduce((s, o) => s + o.offset, 0n);

    // Input keeps coming while the instance is killed and restarted.
    let producing = true;
    const producer = (async () => {
      while (producing) {
        await produceStrings(kafka, input, gen.next(500));
        await new Promise((r) => setTimeout(r, 100));
      }
    })();

    for (let kill = 0; kill < KILLS; kill++) {
      const app = t.spawnCountApp(run, config);
      await app.running;
      // Kill only once this run has written output of its own (so the kill lands mid-processing).
      const before = await outputEnd();
      expect(await eventually(async () => (await outputEnd()) > before + 200n, 30_000, 50)).toBe(true);
      app.child.kill('SIGKILL');
      expect((await app.exited).signal).toBe('SIGKILL');
    }
    producing = false;
    await producer;

    // A last run drains the input; then a graceful stop.
    const last = t.spawnCountApp(run, config);
    await last.running;
    const inputEnd = (await admin.listOffsets(input, 'latest')).reduce((s, o) => s + o.offset, 0n);
    expect(BigInt(gen.total)).toBe(inputEnd);
    expect(await eventually(groupCaughtUp(kafka, appId, input, gen), 30_000)).toBe(true);
    last.child.kill('SIGTERM');
    expect((await last.exited).code).toBe(0);

    // The committed output: per key exactly 1..n. The zombies' transactions were aborted (read_committed
    // reads to the end at once: nothing is left open), and some kills did land inside a transaction.
    const committed = await expectExactCounts(kafka, output, gen);
    const uncommitted = await readTopic(kafka, output, 'read_uncommitted');
    expect(uncommitted.length).toBeGreaterThan(committed.length);

    // The store, restored from the same state dir in this process, equals the oracle key by key.
    const app = await t.start(countTopology(input, output), appConfig(appId, stateDir, config));
    try {
      await app.waitUntilRunning(60_000);
      const store = app.store<string, number>('counts');
      const actual = new Map([...gen.oracle.keys()].map((k) => [k, store.get(k)]));
      expect(actual).toEqual(gen.oracle);
      expect(store.approximateNumEntries()).toBe(gen.oracle.size);
    } finally {
      await app.close();
    }
  });
});
