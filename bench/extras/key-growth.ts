import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commitIntervalFor, type BenchArgs, type ContenderName } from '../lib/args.ts';
import { waitForCompletion } from '../lib/completion.ts';
import { SHORT, spawnContender } from '../lib/contenders.ts';
import { majorFaults } from '../lib/proc-status.ts';
import { createBenchTopics, loadEvents } from '../lib/load.ts';
import { deleteRunTopics, type RunContext } from '../lib/run-scenario.ts';
import { profileEvent, profileSeedEvent } from '../scenarios/profiles.ts';

export interface KeyGrowthRow {
  readonly keys: number;
  readonly contender: ContenderName;
  /** Records/s of the measured events, after the seed events filled the store with `keys` profiles. */
  readonly rate: number | undefined;
  readonly peakRssBytes: number | undefined;
  /** Major page faults of the contender's process over the whole run (seed included). */
  readonly majorFaults?: number | undefined;
  readonly error?: string;
}

/**
 * Cost growth with the state size: for each `--keys K`, K seed events (one per patient, so the store
 * holds K profiles) then `--events` N updates over those K patients, in one input topic. The contender
 * runs through both; the rate counts only the N updates: from the moment the seed is committed until
 * everything is. Millrace and Kafka Streams, profiles topology.
 */
export async function runKeyGrowth(ctx: RunContext, args: BenchArgs): Promise<string> {
  const guarantee = args.guarantees[0]!;
  const rows: KeyGrowthRow[] = [];
  for (const keys of args.keys) {
    const prefix = `bench-keys${keys}-${ctx.runId}`;
    const input = `${prefix}-in`;
    try {
      await createBenchTopics(ctx.kafka, [{ name: input, partitions: 6 }]);
      ctx.log(`key-growth: loading ${keys} seed + ${args.events} update events`);
      await loadEvents(ctx.kafka, input, 0, keys, (i) => profileSeedEvent(i));
      const inputEnd = await loadEvents(ctx.kafka, input, keys, keys + args.events, (i) =>
        profileEvent(i, keys),
      );
      for (const contender of args.contenders.filter((c) => c !== 'ceiling')) {
        const topics = {
          input,
          output: `${prefix}-${SHORT[contender]}-out`,
          appId: `${prefix}-${SHORT[contender]}`,
        };
        await createBenchTopics(ctx.kafka, [{ name: topics.output, partitions: 6 }]);
        const stateDir = mkdtempSync(join(tmpdir(), `millrace-bench-keys-${SHORT[contender]}-`));
        const proc = spawnContender({
          contender,
          scenario: 'profiles',
          topics,
          bootstrapServers: ctx.bootstrapServers,
          guarantee,
          commitIntervalMs: commitIntervalFor(args, guarantee),
          stateDir,
          ...(ctx.classpath ? { classpath: ctx.classpath } : {}),
          ...(args.cpuProf ? { cpuProfDir: args.cpuProf } : {}),
        });
        try {
          await proc.ready();
          const { doneAt, trace } = await waitForCompletion(ctx.kafka, {
            group: topics.appId,
            inputEnd,
            aborted: () => proc.exitReason,
          });
          // The first observation with the seed committed: [time, committed records].
          const seeded = trace.find(([, n]) => n >= keys);
          const rate =
            seeded && doneAt > seeded[0]
              ? ((keys + args.events - seeded[1]) * 1000) / (doneAt - seeded[0])
              : undefined;
          rows.push({
            keys,
            contender,
            rate,
            peakRssBytes: proc.peakRss(),
            majorFaults: majorFaults(proc.pid),
          });
          ctx.log(`  ${contender}: ${Math.round(rate ?? 0)} rec/s with ${keys} keys in state`);
        } catch (err) {
          rows.push({
            keys,
            contender,
            rate: undefined,
            peakRssBytes: proc.peakRss(),
            error: (err as Error).message,
          });
        } finally {
          await proc.stop();
          rmSync(stateDir, { recursive: true, force: true });
        }
      }
    } finally {
      await deleteRunTopics(ctx.kafka, prefix).catch(() => undefined);
    }
  }
  return keyGrowthReport(args.events, guarantee, rows);
}

export function keyGrowthReport(events: number, guarantee: string, rows: readonly KeyGrowthRow[]): string {
  const lines = [
    `Throughput of ${events} profile updates with K patients already in state (${guarantee}):`,
    '',
    '| keys in state | contender | rec/s | peak RSS MiB | major faults | vs the smallest K |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of rows) {
    const base = rows.find((b) => b.contender === r.contender && b.rate !== undefined)?.rate;
    lines.push(
      r.error
        ? `| ${r.keys} | ${r.contender} | FAILED: ${r.error} | | | |`
        : `| ${r.keys} | ${r.contender} | ${Math.round(r.rate ?? 0)} | ${r.peakRssBytes === undefined ? 'n/a' : Math.round(r.peakRssBytes / 1048576)} | ${r.majorFaults ?? 'n/a'} | ${base && r.rate ? (r.rate / base).toFixed(2) : 'n/a'} |`,
    );
  }
  return lines.join('\n');
}
