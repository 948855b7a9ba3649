import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createStreamsApp, type StreamsApp } from '../../../src/runtime/streams-app.ts';
import { startChildApp, type ChildApp } from '../../fixtures/runtime/child-app.ts';
import { countSequences, keyedInput, sequenceProblems } from '../../fixtures/runtime/count-oracle.ts';
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

const ALL_TASKS = ['0_0', '0_1', '0_2', '0_3', '0_4', '0_5'];

describe('standby replicas when the other instance is SIGKILLed', () => {
  const kafka = testKafka();
  const dirs = [0, 1].map(() => mkdtempSync(join(tmpdir(), 'millrace-standby-kill-')));
  const children: ChildApp[] = [];
  let a: StreamsApp | undefined;

  afterAll(async () => {
    for (const c of children)
      if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
    await a?.close();
    await kafka.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('the survivor promotes its warm copies, restores only the gap and counts exactly', async () => {
    const input = uniqueName('sbk-in');
    const output = uniqueName('sbk-out');
    const appId = uniqueName('sbk-app');
    await createTopics(kafka, [input, output], 6);
    const gen = keyedInput(4_000);
    const common = {
      'application.id': appId,
      'bootstrap.servers': bootstrapServers(),
      'processing.guarantee': 'exactly_once_v2',
      'num.standby.replicas': 1,
      // The killed instance's membership and open transaction end by these timeouts (short for the test).
      'session.timeout.ms': 6_000,
      'transaction.timeout.ms': 2_000,
    } as const;
    a = createStreamsApp(
      countTopology(input, output),
      { ...common, 'state.dir': dirs[0]! },
      { log: () => undefined },
    );
    await a.start();
    const b = startChildApp('count-app', {
      COUNT_INPUT: input,
      COUNT_OUTPUT: output,
      MILLRACE_APPLICATION_ID: appId,
      MILLRACE_BOOTSTRAP_SERVERS: bootstrapServers().join(','),
      MILLRACE_STATE_DIR: dirs[1]!,
      MILLRACE_PROCESSING_GUARANTEE: 'exactly_once_v2',
      MILLRACE_NUM_STANDBY_REPLICAS: '1',
      MILLRACE_SESSION_TIMEOUT_MS: '6000',
      MILLRACE_TRANSACTION_TIMEOUT_MS: '2000',
    });
    children.push(b);
    await b.running;
    const app = a;
    const standbys = () => [...app.metrics.standbyProgress.keys()].sort();
    // a runs three tasks and keeps standbys of exactly the other three (b's).
    const placed = () => {
      const mine = app.runningTaskIds();
      return (
        mine.length === 3 &&
        [...mine, ...standbys()].sort().join() === ALL_TASKS.join() &&
        !mine.some((t) => standbys().includes(t))
      );
    };
    expect(await eventually(placed, 60_000)).toBe(true);
    const moved = standbys();

    await produceStrings(kafka, input, gen.next(30_000));
    const admin = kafka.admin();
    const drained = async () => {
      const end = (await admin.listOffsets(input, 'latest')).reduce((s, o) => s + o.offset, 0n);
      const done = (await admin.listGroupOffsets(appId, [input])).reduce((s, o) => s + o.offset, 0n);
      return end === BigInt(gen.total) && done === end;
    };
    expect(await eventually(drained, 60_000)).toBe(true);
    const caughtUp = () =>
      [...app.metrics.standbyProgress.values()].every((p) => p.lag === 0 && p.applied > 0);
    expect(await eventually(caughtUp, 30_000)).toBe(true);

    // More input, and b dies at once: no final commit, no checkpoint, no LeaveGroup.
    await produceStrings(kafka, input, gen.next(300));
    b.child.kill('SIGKILL');
    expect((await b.exited).signal).toBe('SIGKILL');

    // After b's session expires, a takes b's tasks from its standbys.
    expect(await eventually(() => app.runningTaskIds().sort().join() === ALL_TASKS.join(), 45_000)).toBe(
      true,
    );
    let restored = 0;
    for (const t of moved) {
      const p = app.metrics.restoreProgress.get(`${t}/counts`);
      expect(p?.done).toBe(true);
      restored += p!.restored;
    }
    const movedKeys = [...gen.oracle.keys()].filter((k) =>
      moved.includes(app.taskForKey('counts', k)),
    ).length;
    expect(movedKeys).toBeGreaterThan(1_000);
    expect(restored).toBeLessThan(movedKeys / 10);

    const store = app.store<string, number>('counts');
    expect(await eventually(() => [...gen.oracle].every(([k, n]) => store.get(k) === n), 60_000)).toBe(true);
    expect(store.approximateNumEntries()).toBe(gen.oracle.size);
    await app.close();
    // b's open transaction (if the kill caught one) is aborted by its timeout: then the output is exact.
    const out = async () => readTopic(kafka, output, 'read_committed');
    expect(await eventually(async () => (await out()).length >= gen.total, 30_000, 500)).toBe(true);
    const committed = await out();
    expect(sequenceProblems(countSequences(committed), gen.oracle)).toEqual([]);
    expect(committed.length).toBe(gen.total);
  });
});
