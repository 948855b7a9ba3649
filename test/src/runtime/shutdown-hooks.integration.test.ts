import { describe, expect, it } from 'vitest';
import { countSequences, keyedInput, sequenceProblems } from '../../fixtures/runtime/count-oracle.ts';
import { eventually, produceStrings, readTopic } from '../../helpers/kafka.ts';
import { useTestApps } from '../../helpers/test-apps.ts';

describe.each(['exactly_once_v2', 'at_least_once'] as const)('SIGTERM under %s', (guarantee) => {
  const t = useTestApps('sigterm');
  const kafka = t.kafka;

  it('finishes in-flight work, commits, exits 0, and nothing is reprocessed after the restart', async () => {
    const run = await t.newRun('term');
    const { input, output, appId } = run;
    const gen = keyedInput(200);
    await produceStrings(kafka, input, gen.next(40_000));
    const config = {
      'state.dir': t.dirs[0]!,
      'processing.guarantee': guarantee,
      'commit.interval.ms': guarantee === 'exactly_once_v2' ? 100 : 200,
      'shutdown.timeout.ms': 20_000,
    };
    const admin = kafka.admin();
    const sum = (xs: { offset: bigint }[]) => xs.reduce((s, o) => s + o.offset, 0n);
    const committedInput = async () => sum(await admin.listGroupOffsets(appId, [input]));

    // Stop while the input is still being worked through.
    const first = t.spawnCountApp(run, config);
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

    const second = t.spawnCountApp(run, config);
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
