import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createStreamsApp } from '../../../src/runtime/streams-app.ts';
import { startChildApp, type ChildApp } from '../../fixtures/runtime/child-app.ts';
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
  readTopic,
  testKafka,
  uniqueName,
} from '../../helpers/kafka.ts';

const KILLS = 5;

describe('exactly_once_v2 under SIGKILL', () => {
  const kafka = testKafka();
  const stateDir = mkdtempSync(join(tmpdir(), 'millrace-kill-'));
  const children: ChildApp[] = [];

  afterAll(async () => {
    for (const c of children)
      if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
    await kafka.close();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it(`loses and duplicates nothing when the instance is killed ${KILLS} times mid-run and restarted`, async () => {
    const input = uniqueName('kill-in');
    const output = uniqueName('kill-out');
    const appId = uniqueName('kill-app');
    await createTopics(kafka, [input, output], 6);
    const gen = keyedInput(300);
    await produceStrings(kafka, input, gen.next(20_000));

    const env = {
      COUNT_INPUT: input,
      COUNT_OUTPUT: output,
      MILLRACE_APPLICATION_ID: appId,
      MILLRACE_BOOTSTRAP_SERVERS: bootstrapServers().join(','),
      MILLRACE_STATE_DIR: stateDir,
      MILLRACE_PROCESSING_GUARANTEE: 'exactly_once_v2',
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
      const app = startChildApp('count-app', env);
      children.push(app);
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
    const last = startChildApp('count-app', env);
    children.push(last);
    await last.running;
    const inputEnd = (await admin.listOffsets(input, 'latest')).reduce((s, o) => s + o.offset, 0n);
    expect(BigInt(gen.total)).toBe(inputEnd);
    const drained = async () =>
      (await admin.listGroupOffsets(appId, [input])).reduce((s, o) => s + o.offset, 0n) === inputEnd;
    expect(await eventually(drained, 30_000)).toBe(true);
    last.child.kill('SIGTERM');
    expect((await last.exited).code).toBe(0);

    // The committed output: per key exactly 1..n. The zombies' transactions were aborted (read_committed
    // reads to the end at once: nothing is left open), and some kills did land inside a transaction.
    const committed = await readCommittedOutput(kafka, output, gen.total);
    expect(sequenceProblems(countSequences(committed), gen.oracle)).toEqual([]);
    expect(committed.length).toBe(gen.total);
    const uncommitted = await readTopic(kafka, output, 'read_uncommitted');
    expect(uncommitted.length).toBeGreaterThan(committed.length);

    // The store, restored from the same state dir in this process, equals the oracle key by key.
    const app = createStreamsApp(countTopology(input, output), {
      'application.id': appId,
      'bootstrap.servers': bootstrapServers(),
      'state.dir': stateDir,
      'processing.guarantee': 'exactly_once_v2',
    });
    try {
      await app.start();
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
