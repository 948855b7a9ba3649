import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchArgs, ContenderName } from '../lib/args.ts';
import { SHORT, spawnContender } from '../lib/contenders.ts';
import { createBenchTopics, loadEvents } from '../lib/load.ts';
import { deleteRunTopics, type RunContext } from '../lib/run-scenario.ts';

const STORE = 'restore-store';
const PARTITIONS = 6;

export interface RestoreResult {
  readonly contender: ContenderName;
  readonly records: number;
  /** First partition's restore start → last partition's restore end. */
  readonly ms: number;
  readonly peakRssBytes: number | undefined;
  readonly error?: string;
}

/** Entry i of the store: key `k-<i>`, a ~100-byte JSON value (the same bytes for both contenders). */
export function restoreEntry(i: number): { key: string; value: string; timestamp: number } {
  return {
    key: `k-${i}`,
    value: JSON.stringify({
      id: i,
      name: `patient ${i}`,
      city: 'Melbourne',
      updatedAt: '2026-01-01T00:00:00Z',
    }),
    timestamp: 1_767_225_600_000 + i,
  };
}

/**
 * Restore speed: for Millrace and Kafka Streams, fills the changelog `<appId>-restore-store-changelog`
 * (6 partitions, compacted) with the same `--events` entries, starts the app with an empty state dir and
 * measures from the first store partition's restore start to the last one's end (both report it from
 * inside: Millrace's onRestoreProgress, Kafka Streams' StateRestoreListener). String keys, string values,
 * a persistent store: LMDB for Millrace, RocksDB for Kafka Streams.
 */
export async function runRestore(ctx: RunContext, args: BenchArgs): Promise<string> {
  const n = args.events;
  const prefix = `bench-restore-${ctx.runId}`;
  const results: RestoreResult[] = [];
  try {
    for (const contender of args.contenders.filter((c) => c !== 'ceiling')) {
      const topics = {
        input: `${prefix}-${SHORT[contender]}-in`,
        output: `${prefix}-${SHORT[contender]}-out`,
        appId: `${prefix}-${SHORT[contender]}`,
      };
      const changelog = `${topics.appId}-${STORE}-changelog`;
      await createBenchTopics(ctx.kafka, [
        { name: topics.input, partitions: PARTITIONS },
        { name: changelog, partitions: PARTITIONS, configs: { 'cleanup.policy': 'compact' } },
      ]);
      ctx.log(`restore/${contender}: writing ${n} entries into ${changelog}`);
      await loadEvents(ctx.kafka, changelog, 0, n, restoreEntry);
      const stateDir = mkdtempSync(join(tmpdir(), `millrace-bench-restore-${SHORT[contender]}-`));
      const proc = spawnContender({
        contender,
        scenario: 'restore',
        topics,
        bootstrapServers: ctx.bootstrapServers,
        guarantee: 'at_least_once',
        commitIntervalMs: 1000,
        stateDir,
        store: STORE,
        ...(ctx.classpath ? { classpath: ctx.classpath } : {}),
        ...(args.cpuProf ? { cpuProfDir: args.cpuProf } : {}),
      });
      try {
        await proc.ready(1_800_000);
        await proc.restoredLines(PARTITIONS, 60_000);
        const records = proc.restored.reduce((s, r) => s + r.records, 0);
        const ms =
          Math.max(...proc.restored.map((r) => r.endMs)) - Math.min(...proc.restored.map((r) => r.startMs));
        results.push({ contender, records, ms, peakRssBytes: proc.peakRss() });
      } catch (err) {
        results.push({
          contender,
          records: 0,
          ms: 0,
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
  return restoreReport(n, results);
}

export function restoreReport(n: number, results: readonly RestoreResult[]): string {
  const rate = (r: RestoreResult | undefined) =>
    r && !r.error && r.ms > 0 ? (r.records * 1000) / r.ms : undefined;
  const lines = [
    `Restore of a ${n}-entry store (${PARTITIONS} changelog partitions, empty state dir):`,
    '',
    '| contender | restored | seconds | records/s | peak RSS MiB |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const r of results) {
    lines.push(
      r.error
        ? `| ${r.contender} | FAILED: ${r.error} | | | |`
        : `| ${r.contender} | ${r.records} | ${(r.ms / 1000).toFixed(2)} | ${Math.round(rate(r) ?? 0)} | ${r.peakRssBytes === undefined ? 'n/a' : Math.round(r.peakRssBytes / 1048576)} |`,
    );
  }
  const mr = rate(results.find((r) => r.contender === 'millrace'));
  const ks = rate(results.find((r) => r.contender === 'kafka-streams'));
  if (mr !== undefined && ks !== undefined)
    lines.push('', `Millrace/Kafka Streams restore speed: ${(mr / ks).toFixed(2)}`);
  return lines.join('\n');
}
