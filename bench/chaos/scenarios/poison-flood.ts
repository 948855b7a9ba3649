import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChaosRecord } from '../lib/kafka-io.ts';
import { startAppProcess } from '../lib/app-process.ts';
import { checkCount } from '../lib/count-check.ts';
import { startFeeder } from '../lib/feeder.ts';
import {
  committedSum,
  createTopics,
  endOffsetSum,
  header,
  readTopic,
  sleep,
  waitUntil,
} from '../lib/kafka-io.ts';
import { chaosResult, type ChaosScenario } from '../scenario.ts';

const POISON_APP = fileURLToPath(new URL('../apps/poison-app.ts', import.meta.url));

/** The kinds of bad record, and the stage of the error each must be dead-lettered with. */
const BAD_KINDS = {
  'invalid-json': 'deserialization',
  'schema-violation': 'deserialization',
  'oversized-key': 'processing',
} as const;
type BadKind = keyof typeof BAD_KINDS;

/**
 * Poison-pill flood: a third of the input is malformed — invalid JSON, values that violate the schema,
 * keys longer than a store key may be (LMDB: 1978 bytes) — mixed with good records, under exactly_once_v2.
 * Oracle: every bad record is in the DLQ exactly once with reason headers of the right stage, no good one
 * is; the good ones are counted exactly (output 1..n, store); the app never left RUNNING/REBALANCING and
 * stopped cleanly.
 */
export const poisonFlood: ChaosScenario = {
  name: 'poison-flood',
  description: 'malformed records (invalid JSON, schema violations, oversized keys) mixed with good ones',
  guarantee: 'exactly_once_v2',
  ci: { durationMs: 8_000, instances: 1, keys: 200, rate: 1500, partitions: 6 },
  soak: { durationMs: 300_000, instances: 2, keys: 5000, rate: 5000, partitions: 12 },
  async run(ctx) {
    const id = `${Date.now().toString(36)}-${ctx.random.int(0, 1e9).toString(36)}`;
    const appId = `chaos-poison-${id}`;
    const input = `chaos-poison-in-${id}`;
    const output = `chaos-poison-out-${id}`;
    const dlq = `${input}.dlq`;
    await createTopics(ctx.kafka, [input, output], ctx.sizes.partitions);

    const oracle = new Map<string, number>();
    const bad = new Map<string, BadKind>();
    let good = 0;
    let seq = 0;
    const next = (n: number): ChaosRecord[] =>
      Array.from({ length: n }, () => {
        const i = seq++;
        const tag = `r${i}`;
        const headers = [['chaos.id', Buffer.from(tag)] as const];
        if (ctx.random.next() < 1 / 3) {
          const kind = ctx.random.pick(Object.keys(BAD_KINDS) as BadKind[]);
          bad.set(tag, kind);
          if (kind === 'invalid-json') return { key: `k${i % 7}`, value: `{"id":"${tag}","n":`, headers };
          if (kind === 'schema-violation')
            return { key: `k${i % 7}`, value: JSON.stringify({ id: i, n: 'many', extra: true }), headers };
          return {
            key: `big-${tag}-${'x'.repeat(2000 + (i % 3000))}`,
            value: JSON.stringify({ id: tag, n: i }),
            headers,
          };
        }
        const key = `k${(i * 7919) % ctx.sizes.keys}`;
        oracle.set(key, (oracle.get(key) ?? 0) + 1);
        good++;
        return { key, value: JSON.stringify({ id: tag, n: i }), headers };
      });

    const dirs = Array.from({ length: ctx.sizes.instances }, () =>
      mkdtempSync(join(tmpdir(), 'millrace-chaos-poison-')),
    );
    const procs = dirs.map((dir, i) =>
      startAppProcess(`${appId}#${i}`, POISON_APP, {
        POISON_INPUT: input,
        POISON_OUTPUT: output,
        MILLRACE_APPLICATION_ID: appId,
        MILLRACE_BOOTSTRAP_SERVERS: ctx.bootstrapServers,
        KAFKA_BOOTSTRAP_SERVERS: ctx.bootstrapServers,
        MILLRACE_STATE_DIR: dir,
        MILLRACE_PROCESSING_GUARANTEE: ctx.guarantee,
      }),
    );
    const problems: string[] = [];
    try {
      await Promise.all(procs.map((p) => p.running));
      const feeder = startFeeder(ctx.kafka, input, ctx.sizes.rate, next);
      await sleep(ctx.sizes.durationMs);
      await feeder.stop();
      const end = await endOffsetSum(ctx.kafka, input);
      if (!(await waitUntil(async () => (await committedSum(ctx.kafka, appId, input)) >= end, 120_000)))
        problems.push(`the group did not commit the whole input (${end}) within 120 s`);

      for (const p of procs) {
        if (!p.alive()) problems.push(`${p.label} stopped by itself:\n${p.stderr().slice(-2000)}`);
        const states = p
          .lines()
          .filter((l) => l.startsWith('STATE '))
          .map((l) => l.slice(6));
        const wrong = states.filter((s) => s !== 'REBALANCING' && s !== 'RUNNING');
        if (wrong.length > 0) problems.push(`${p.label} went through ${wrong.join(', ')} during the flood`);
        const code = await p.stop();
        if (code !== 0) problems.push(`${p.label}: graceful stop exited with ${code}`);
      }

      // The DLQ holds each bad record exactly once with its reason, and no good record.
      const seen = new Map<string, number>();
      for (const r of await readTopic(ctx.kafka, dlq, 'read_committed')) {
        const tag = header(r, 'chaos.id') ?? '?';
        seen.set(tag, (seen.get(tag) ?? 0) + 1);
        const kind = bad.get(tag);
        const code = header(r, 'millrace.error.code');
        const stage = header(r, 'millrace.error.stage');
        const message = header(r, 'millrace.error.message');
        if (kind === undefined) problems.push(`dlq: good record ${tag} dead-lettered (${code}: ${message})`);
        else if (!code || !message || stage !== BAD_KINDS[kind])
          problems.push(`dlq: ${kind} ${tag} has reason code=${code} stage=${stage} message=${message}`);
        if (header(r, 'millrace.source.topic') !== input)
          problems.push(`dlq: ${tag} without its source topic`);
      }
      for (const [tag, kind] of bad) {
        const n = seen.get(tag) ?? 0;
        const ok = ctx.guarantee === 'exactly_once_v2' ? n === 1 : n >= 1;
        if (!ok) problems.push(`dlq: ${kind} ${tag} found ${n} times, expected once`);
      }
      problems.push(
        ...(await checkCount({
          kafka: ctx.kafka,
          bootstrapServers: ctx.bootstrapServers,
          appId,
          topologyInput: input,
          output,
          oracle,
          total: good,
          guarantee: ctx.guarantee,
          stateDir: dirs[0]!,
        })),
      );
      return chaosResult(bad.size, seq, problems);
    } finally {
      await Promise.all(procs.map((p) => p.kill()));
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    }
  },
};
