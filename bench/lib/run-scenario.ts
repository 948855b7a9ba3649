import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KafkaClient } from '../../src/kafka/index.ts';
import type { Scenario } from '../scenarios/scenario.ts';
import { commitIntervalFor, type BenchArgs, type ContenderName, type Guarantee } from './args.ts';
import { formatTrace, waitForCompletion } from './completion.ts';
import { JAVA_LOG_DIR, SHORT, spawnContender } from './contenders.ts';
import { createBenchTopics, loadEvents } from './load.ts';
import {
  medianPerContender,
  readyToDoneRate,
  recordsPerSecond,
  windowOf,
  type ContenderResult,
  type ScenarioResult,
} from './report.ts';

export interface RunContext {
  readonly kafka: KafkaClient;
  readonly bootstrapServers: string;
  readonly classpath: string | undefined;
  readonly runId: string;
  readonly log: (m: string) => void;
}

/**
 * One scenario under one guarantee: loads N events into a fresh input topic, then runs each contender
 * alone, from an empty group until everything is committed, and deletes the run's topics.
 */
export async function runScenario(
  ctx: RunContext,
  scenario: Scenario,
  guarantee: Guarantee,
  args: BenchArgs,
): Promise<ScenarioResult> {
  const prefix = `bench-${scenario.name}-${guarantee === 'exactly_once_v2' ? 'eos' : 'alos'}-${ctx.runId}`;
  const input = `${prefix}-in`;
  const n = args.events;
  await createBenchTopics(ctx.kafka, [{ name: input, partitions: scenario.inputPartitions }]);
  ctx.log(
    `${scenario.name}/${guarantee}: loading ${n} events into ${input}${args.parallelism > 1 ? ` (parallelism ${args.parallelism}: Kafka Streams threads, Millrace instances)` : ''}`,
  );
  const t0 = performance.now();
  const inputEnd = await loadEvents(ctx.kafka, input, 0, n, (i) => scenario.event(i, scenario.defaultKeys));
  ctx.log(`  loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const all: ContenderResult[] = [];
  try {
    for (let round = 0; round < args.rounds; round++) {
      // Each round starts with the next contender (a rotation), so none always runs right after the load.
      const shift = round % args.contenders.length;
      const order = [...args.contenders.slice(shift), ...args.contenders.slice(0, shift)];
      if (args.rounds > 1) ctx.log(`  round ${round + 1}/${args.rounds}: ${order.join(', ')}`);
      const roundPrefix = round === 0 ? prefix : `${prefix}-r${round}`;
      for (const contender of order) {
        const r = await runContender(
          ctx,
          scenario,
          guarantee,
          args,
          contender,
          roundPrefix,
          input,
          inputEnd,
          n,
        );
        all.push(r);
        ctx.log(
          r.error
            ? `  ${contender}: FAILED ${r.error}`
            : `  ${contender}: ${r.steady ? `${Math.round(recordsPerSecond(r, 'steady') ?? 0)} rec/s steady, ` : ''}${Math.round(recordsPerSecond(r, 'cold') ?? 0)} rec/s cold (spawn→done), ${Math.round(readyToDoneRate(r) ?? 0)} rec/s READY→done (${(r.processingMs / 1000).toFixed(1)} s after a ${(r.startupMs / 1000).toFixed(1)} s start), peak RSS ${r.peakRssBytes === undefined ? 'n/a' : Math.round(r.peakRssBytes / 1048576)} MiB (anonymous ${r.peakAnonBytes === undefined ? 'n/a' : Math.round(r.peakAnonBytes / 1048576)} MiB), CPU ${r.cpuSeconds === undefined ? 'n/a' : `${r.cpuSeconds.toFixed(1)} s`}, output offsets ${r.outputOffsets ?? 'n/a'}${r.deadLettered !== undefined ? `, dead-lettered ${r.deadLettered}` : ''}`,
        );
      }
    }
  } finally {
    await deleteRunTopics(ctx.kafka, prefix).catch((e: unknown) =>
      ctx.log(`  could not delete topics: ${String(e)}`),
    );
  }
  const results = medianPerContender(all, args.contenders);
  if (args.rounds > 1) {
    const window = windowOf(all);
    ctx.log(
      `  median of ${args.rounds} rounds (${window}): ${results.map((r) => `${r.contender} ${Math.round(recordsPerSecond(r, window) ?? 0)} rec/s`).join(', ')}`,
    );
  }
  return { scenario: scenario.name, guarantee, events: n, results };
}

async function runContender(
  ctx: RunContext,
  scenario: Scenario,
  guarantee: Guarantee,
  args: BenchArgs,
  contender: ContenderName,
  prefix: string,
  input: string,
  inputEnd: Awaited<ReturnType<typeof loadEvents>>,
  n: number,
): Promise<ContenderResult> {
  const topics = {
    input,
    output: `${prefix}-${SHORT[contender]}-out`,
    appId: `${prefix}-${SHORT[contender]}`,
  };
  const extra =
    contender === 'millrace'
      ? scenario.millraceTopics(topics)
      : contender === 'kafka-streams'
        ? scenario.javaTopics(topics)
        : [];
  await createBenchTopics(ctx.kafka, [
    { name: topics.output, partitions: scenario.inputPartitions },
    ...extra,
  ]);
  const stateDir = mkdtempSync(join(tmpdir(), `millrace-bench-${SHORT[contender]}-`));
  const proc = spawnContender({
    contender,
    scenario: scenario.name as 'profiles',
    topics,
    bootstrapServers: ctx.bootstrapServers,
    guarantee,
    commitIntervalMs: commitIntervalFor(args, guarantee),
    stateDir,
    ...(ctx.classpath ? { classpath: ctx.classpath } : {}),
    javaArgs: scenario.javaArgs(topics),
    ...(args.cpuProf ? { cpuProfDir: args.cpuProf } : {}),
    parallelism: args.parallelism,
  });
  try {
    const readyAt = await proc.ready();
    const { doneAt, steadyStart, trace } = await waitForCompletion(ctx.kafka, {
      group: topics.appId,
      inputEnd,
      aborted: () => proc.exitReason,
    });
    // Read at once: the contender keeps running (idle polls, the last commit) until it is stopped.
    const cpuSeconds = proc.cpuSeconds();
    ctx.log(
      `  ${contender} committed input since spawn: ${formatTrace(trace, proc.spawnedAt, n)}; READY +${((readyAt - proc.spawnedAt) / 1000).toFixed(1)}s, done +${((doneAt - proc.spawnedAt) / 1000).toFixed(1)}s`,
    );
    return {
      contender,
      records: n,
      startupMs: readyAt - proc.spawnedAt,
      processingMs: doneAt - readyAt,
      // No steady window when the input was mostly committed at the first look (a fast first stage
      // in front of a repartition topic): the rate is then READY → done.
      ...(steadyStart && doneAt > steadyStart[0] && steadyStart[1] <= n / 2
        ? { steady: { fromRecords: steadyStart[1], ms: doneAt - steadyStart[0] } }
        : {}),
      peakRssBytes: proc.peakRss(),
      peakAnonBytes: proc.peakAnonRss(),
      cpuSeconds,
      outputOffsets: await endOffsetSum(ctx.kafka, topics.output),
      ...(contender === 'millrace' ? { deadLettered: await endOffsetSum(ctx.kafka, `${input}.dlq`) } : {}),
    };
  } catch (err) {
    if (contender === 'kafka-streams') ctx.log(`  Kafka Streams log: ${JAVA_LOG_DIR}/${topics.appId}.log`);
    return {
      contender,
      records: n,
      startupMs: 0,
      processingMs: 0,
      peakRssBytes: proc.peakRss(),
      error: (err as Error).message,
    };
  } finally {
    await proc.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

/** Sum of a topic's end offsets; 0 when it does not exist. */
async function endOffsetSum(kafka: KafkaClient, topic: string): Promise<number> {
  try {
    return (await kafka.admin().listOffsets(topic, 'latest')).reduce((s, o) => s + Number(o.offset), 0);
  } catch {
    return 0;
  }
}

/** Deletes every topic of a run (inputs, outputs, internal topics of each contender). */
export async function deleteRunTopics(kafka: KafkaClient, prefix: string): Promise<void> {
  const admin = kafka.admin();
  const mine = (await admin.listTopics()).filter((t) => t.startsWith(`${prefix}-`));
  if (mine.length > 0) await admin.deleteTopics(mine, { ignoreIfMissing: true });
}
