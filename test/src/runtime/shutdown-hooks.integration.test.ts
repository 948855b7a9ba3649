import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startChildApp, type ChildApp } from '../../fixtures/runtime/child-app.ts';
import { countSequences, keyedInput, sequenceProblems } from '../../fixtures/runtime/count-oracle.ts';
import {
  bootstrapServers,
  createTopics,
  eventually,
  produceStrings,
  readTopic,
  testKafka,
  uniqueName,
} from '../../helpers/kafka.ts';

describe.each(['exactly_once_v2', 'at_least_once'] as const)('SIGTERM under %s', (guarantee) => {
  const kafka = testKafka();
  const stateDir = mkdtempSync(join(tmpdir(), 'millrace-sigterm-'));
  const children: ChildApp[] = [];

  afterAll(async () => {
    for (const c of children)
      if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
    await kafka.close();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('finishes in-flight work, commits, exits 0, and nothing is reprocessed after the restart', async () => {
    const input = uniqueName('term-in');
    const output = uniqueName('term-out');
    const appId = uniqueName('term-app');
    await createTopics(kafka, [input, output], 6);
    const gen = keyedInput(200);
    await produceStrings(kafka, input, gen.next(40_000));
    const env = {
      COUNT_INPUT: input,
      COUNT_OUTPUT: output,
      MILLRACE_APPLICATION_ID: appId,
      MILLRACE_BOOTSTRAP_SERVERS: bootstrapServers().join(','),
      MILLRACE_STATE_DIR: stateDir,
      MILLRACE_PROCESSING_GUARANTEE: guarantee,
      MILLRACE_COMMIT_INTERVAL_MS: guarantee === 'exactly_once_v2' ? '100' : '200',
      MILLRACE_SHUTDOWN_TIMEOUT_MS: '20000',
    };
    const admin = kafka.admin();
    const sum = (xs: { offset: bigint }[]) => xs.reduce((s, o) => s + o.offset, 0n);
    const committedInput = async () => sum(await admin.listGroupOffsets(appId, [input]));

    // Stop while the input is still being worked through.
    const first = startChildApp('count-app', env);
    children.push(first);
    await first.running;
    expect(await eventually(async () => (await committedInput()) > 0n, 30_000, 20)).toBe(true);
    first.child.kill('SIGTERM');
    expect(await first.exited).toEqual({ code: 0, signal: null });
    expect(first.stderr()).toContain('SIGTERM: shutting down gracefully');
    const atStop = await committedInput();
    expect(atStop).toBeLessThan(BigInt(gen.total));

    // Everything processed was committed with its output: one output per committed input, no open or aborted
    // transaction left behind.
    const committedOut = await readTopic(kafka, output, 'read_committed');
    expect(BigInt(committedOut.length)).toBe(atStop);
    expect((await readTopic(kafka, output, 'read_uncommitted')).length).toBe(committedOut.length);

    const second = startChildApp('count-app', env);
    children.push(second);
    await second.running;
    expect(await eventually(async () => (await committedInput()) === BigInt(gen.total), 30_000)).toBe(true);
    second.child.kill('SIGINT');
    expect(await second.exited).toEqual({ code: 0, signal: null });

    const out = await readTopic(kafka, output, 'read_committed');
    expect(sequenceProblems(countSequences(out), gen.oracle)).toEqual([]);
    expect(out.length).toBe(gen.total);
    expect((await readTopic(kafka, output, 'read_uncommitted')).length).toBe(gen.total);
  });
});
