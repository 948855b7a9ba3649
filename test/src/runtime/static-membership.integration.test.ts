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
  testKafka,
  uniqueName,
} from '../../helpers/kafka.ts';

describe('static membership (group.instance.id derived from the persisted process id)', () => {
  const kafka = testKafka();
  const dirs = [0, 1].map(() => mkdtempSync(join(tmpdir(), 'millrace-static-')));
  const children: ChildApp[] = [];

  afterAll(async () => {
    for (const c of children)
      if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
    await kafka.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('an instance that is SIGKILLed or stopped and restarts takes its place back without a rebalance of the other', async () => {
    const input = uniqueName('static-in');
    const output = uniqueName('static-out');
    const appId = uniqueName('static-app');
    await createTopics(kafka, [input, output], 6);
    const gen = keyedInput(500);
    const admin = kafka.admin();
    const config = {
      'application.id': appId,
      'bootstrap.servers': bootstrapServers(),
      'processing.guarantee': 'exactly_once_v2',
      // The restarted instance must not rely on the group expiring the old one: a long session.
      'session.timeout.ms': 60_000,
      'leave.group.on.close': false,
    } as const;
    const env = {
      COUNT_INPUT: input,
      COUNT_OUTPUT: output,
      MILLRACE_APPLICATION_ID: appId,
      MILLRACE_BOOTSTRAP_SERVERS: bootstrapServers().join(','),
      MILLRACE_STATE_DIR: dirs[1]!,
      MILLRACE_PROCESSING_GUARANTEE: 'exactly_once_v2',
      MILLRACE_SESSION_TIMEOUT_MS: '60000',
      MILLRACE_LEAVE_GROUP_ON_CLOSE: 'false',
    };
    const drained = async () => {
      const end = (await admin.listOffsets(input, 'latest')).reduce((s, o) => s + o.offset, 0n);
      const done = (await admin.listGroupOffsets(appId, [input])).reduce((s, o) => s + o.offset, 0n);
      return end === BigInt(gen.total) && done === end;
    };

    const a = createStreamsApp(
      countTopology(input, output),
      { ...config, 'state.dir': dirs[0]! },
      { log: () => undefined },
    );
    await a.start();
    let b = startChildApp('count-app', env);
    children.push(b);
    await b.running;
    expect(await eventually(() => a.runningTaskIds().length === 3, 60_000)).toBe(true);
    const aTasks = a.runningTaskIds().sort().join();
    const rebalances = a.metrics.rebalanceTotal;
    await produceStrings(kafka, input, gen.next(5_000));
    expect(await eventually(drained, 60_000)).toBe(true);

    // 1. SIGKILL: the new process has the same process id (state dir), so the same group.instance.id; the
    //    broker hands it the killed member's partitions at once, without waiting 60 s for its session.
    b.child.kill('SIGKILL');
    expect((await b.exited).signal).toBe('SIGKILL');
    b = startChildApp('count-app', env);
    children.push(b);
    await b.running;
    await produceStrings(kafka, input, gen.next(5_000));
    expect(await eventually(drained, 60_000)).toBe(true);

    // 2. A graceful stop that keeps the place (leave.group.on.close false), then a restart.
    b.child.kill('SIGTERM');
    expect((await b.exited).code).toBe(0);
    b = startChildApp('count-app', env);
    children.push(b);
    await b.running;
    await produceStrings(kafka, input, gen.next(5_000));
    expect(await eventually(drained, 60_000)).toBe(true);

    // The other instance never took part in a rebalance, and kept its tasks.
    expect(a.metrics.rebalanceTotal).toBe(rebalances);
    expect(a.runningTaskIds().sort().join()).toBe(aTasks);
    const group = await admin.describeGroup(appId);
    expect(group.members.length).toBe(2);
    expect(group.members.every((m) => m.groupInstanceId?.startsWith(`${appId}-`))).toBe(true);

    b.child.kill('SIGTERM');
    await b.exited;
    await a.close();
    const out = await readCommittedOutput(kafka, output, gen.total);
    expect(sequenceProblems(countSequences(out), gen.oracle)).toEqual([]);
    expect(out.length).toBe(gen.total);
  });
});
