import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commitIntervalFor, type BenchArgs } from '../lib/args.ts';
import { waitForCompletion } from '../lib/completion.ts';
import { spawnContender } from '../lib/contenders.ts';
import { createBenchTopics, loadEvents } from '../lib/load.ts';
import { percentile } from '../lib/report.ts';
import { deleteRunTopics, type RunContext } from '../lib/run-scenario.ts';
import { profiles } from '../scenarios/profiles.ts';
import { runPipelinedGets } from './query-load-client.ts';

/** Keep-alive connections of the load client, and requests pipelined on each: 32 in flight. */
const CONNECTIONS = 8;
const DEPTH = 4;
const CONCURRENCY = CONNECTIONS * DEPTH;
const PORT = 18_431;

export interface QueryLoadResult {
  readonly requests: number;
  readonly found: number;
  readonly notFound: number;
  readonly errors: number;
  readonly seconds: number;
  readonly latenciesMs: readonly number[];
  readonly ingestedPerSecond: number;
}

/**
 * Interactive-query load while ingesting: the profiles scenario (`--events` updates over 100,000
 * patients) runs in a Millrace child that also serves its HTTP API (src/server, the
 * `GET /stores/:app/patient-profiles/keys/:key` route); from READY until the input is committed, this
 * process keeps 32 point lookups of random patients in flight (8 keep-alive HTTP/1.1 connections, 4
 * pipelined on each; query-load-client.ts) and records each latency, request written → response read. A lookup of a patient not merged yet answers 404: it is still a lookup and counted as such.
 * The client shares the machine's cores with the app and the broker.
 */
export async function runQueryLoad(ctx: RunContext, args: BenchArgs): Promise<string> {
  const guarantee = args.guarantees[0]!;
  const prefix = `bench-query-${ctx.runId}`;
  const input = `${prefix}-in`;
  const topics = { input, output: `${prefix}-mr-out`, appId: `${prefix}-mr` };
  await createBenchTopics(ctx.kafka, [
    { name: input, partitions: profiles.inputPartitions },
    { name: topics.output, partitions: profiles.inputPartitions },
  ]);
  ctx.log(
    `query-load/${guarantee}: loading ${args.events} profile events (app query.threads: ${args.queryThreads})`,
  );
  const inputEnd = await loadEvents(ctx.kafka, input, 0, args.events, (i) =>
    profiles.event(i, profiles.defaultKeys),
  );
  const stateDir = mkdtempSync(join(tmpdir(), 'millrace-bench-query-'));
  const proc = spawnContender({
    contender: 'millrace',
    scenario: 'profiles',
    topics,
    bootstrapServers: ctx.bootstrapServers,
    guarantee,
    commitIntervalMs: commitIntervalFor(args, guarantee),
    stateDir,
    httpPort: PORT,
    queryThreads: args.queryThreads,
    ...(args.cpuProf ? { cpuProfDir: args.cpuProf } : {}),
  });
  let result: QueryLoadResult;
  try {
    const readyAt = await proc.ready();
    let done = false;
    const latencies: number[] = [];
    let found = 0;
    let notFound = 0;
    let errors = 0;
    const started = performance.now();
    const load = runPipelinedGets({
      port: PORT,
      connections: CONNECTIONS,
      depth: DEPTH,
      nextPath: () =>
        `/stores/${topics.appId}/patient-profiles/keys/p-${Math.floor(Math.random() * profiles.defaultKeys)}`,
      done: () => done,
      onResponse: (status, ms) => {
        latencies.push(ms);
        if (status === 200) found++;
        else if (status === 404) notFound++;
        else errors++;
      },
    });
    const { doneAt } = await waitForCompletion(ctx.kafka, {
      group: topics.appId,
      inputEnd,
      aborted: () => proc.exitReason,
    });
    done = true;
    await load;
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    result = {
      requests: latencies.length,
      found,
      notFound,
      errors,
      seconds,
      latenciesMs: latencies,
      ingestedPerSecond: (args.events * 1000) / (doneAt - readyAt),
    };
  } finally {
    await proc.stop();
    rmSync(stateDir, { recursive: true, force: true });
    await deleteRunTopics(ctx.kafka, prefix).catch(() => undefined);
  }
  return queryLoadReport(args.events, guarantee, result);
}

export function queryLoadReport(events: number, guarantee: string, r: QueryLoadResult): string {
  const p = (q: number) => (percentile(r.latenciesMs, q) ?? NaN).toFixed(2);
  return [
    `Interactive queries over HTTP while ingesting ${events} profile events (${guarantee}), ${CONCURRENCY} in flight (${CONNECTIONS} connections × ${DEPTH} pipelined):`,
    '',
    '| lookups | lookups/s | p50 ms | p99 ms | max ms | 200 | 404 | errors | ingestion rec/s meanwhile |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    `| ${r.requests} | ${Math.round(r.requests / r.seconds)} | ${p(50)} | ${p(99)} | ${(r.latenciesMs.at(-1) ?? NaN).toFixed(2)} | ${r.found} | ${r.notFound} | ${r.errors} | ${Math.round(r.ingestedPerSecond)} |`,
  ].join('\n');
}
