import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { MillraceError } from '../errors/index.ts';
import type { KafkaAdmin, TopicPartitionOffset } from '../kafka/index.ts';

/** Where to move the committed offsets of the input topics (Kafka Streams' reset tool options). */
export type ResetTarget =
  | { kind: 'earliest' }
  | { kind: 'latest' }
  | { kind: 'offset'; offset: bigint }
  /** The first record at or after this time (epoch ms); the end when there is none. */
  | { kind: 'datetime'; timestampMs: number }
  /** `now − duration`, then as datetime. */
  | { kind: 'duration'; durationMs: number };

/** Options of {@link resetApplication}. */
export interface ResetOptions {
  admin: KafkaAdmin;
  applicationId: string;
  inputTopics: readonly string[];
  target: ResetTarget;
  /** The app's `state.dir`; its `<state.dir>/<application.id>` folder is deleted. Omit to keep local state. */
  stateDir?: string;
  dryRun?: boolean;
  log: (m: string) => void;
  /** For tests: the clock of `--by-duration`. */
  now?: () => number;
}

/** What a reset did (or, with dryRun, would do). */
export interface ResetPlan {
  offsets: (TopicPartitionOffset & { before: bigint | undefined })[];
  deletedTopics: string[];
  stateDir: string | undefined;
}

/** `PnDTnHnMn(.n)S` (ISO 8601 duration without years and months, as Kafka's `--by-duration`) in ms. */
export function parseDuration(text: string): number {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text);
  if (!m || text === 'P' || text.endsWith('T'))
    throw new MillraceError(
      'MR_CLI_USAGE',
      `--by-duration "${text}" is not a duration like P1DT2H30M or PT15M`,
    );
  const [, d = '0', h = '0', min = '0', s = '0'] = m;
  return ((Number(d) * 24 + Number(h)) * 60 + Number(min)) * 60_000 + Math.round(Number(s) * 1000);
}

/** An ISO 8601 date-time (`2026-01-31T12:00:00Z`, local time without a zone) or epoch milliseconds. */
export function parseDateTime(text: string): number {
  const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(ms))
    throw new MillraceError(
      'MR_CLI_USAGE',
      `--to-datetime "${text}" is not a date-time like 2026-01-31T12:00:00Z`,
    );
  return ms;
}

/**
 * Resets an application so that it reprocesses its input (Kafka Streams' `kafka-streams-application-reset`):
 * refuses while its consumer group has members; sets the group's committed offsets of the input topics to
 * the target, without metadata, which clears the stream time committed there (the application starts over
 * from no stream time, as after Kafka Streams' reset); deletes its internal topics
 * (`<application.id>-…-changelog` and `-repartition`), so the stores are rebuilt from the input; and deletes
 * its local state folder. With `dryRun`, only reports.
 */
export async function resetApplication(o: ResetOptions): Promise<ResetPlan> {
  const { admin, applicationId: app, log } = o;
  const group = await admin.describeGroup(app);
  if (group.members.length > 0)
    throw new MillraceError(
      'MR_RESET_GROUP_ACTIVE',
      `the consumer group "${app}" still has ${group.members.length} member(s) (${group.members.map((m) => m.clientId).join(', ')}): stop every instance of the application, wait for the group to empty (session timeout), and retry`,
    );
  const before = new Map<string, bigint>();
  for (const c of await admin.listGroupOffsets(app, o.inputTopics))
    before.set(`${c.topic}/${c.partition}`, c.offset);

  const offsets: ResetPlan['offsets'] = [];
  for (const topic of o.inputTopics) {
    const earliest = await admin.listOffsets(topic, 'earliest');
    const latest = await admin.listOffsets(topic, 'latest');
    let target: bigint[];
    switch (o.target.kind) {
      case 'earliest':
        target = earliest.map((e) => e.offset);
        break;
      case 'latest':
        target = latest.map((e) => e.offset);
        break;
      case 'offset': {
        const n = o.target.offset;
        target = earliest.map((e, i) => {
          const end = latest[i]!.offset;
          return n < e.offset ? e.offset : n > end ? end : n;
        });
        break;
      }
      case 'datetime':
      case 'duration': {
        const ts =
          o.target.kind === 'datetime' ? o.target.timestampMs : (o.now ?? Date.now)() - o.target.durationMs;
        const found = await admin.listOffsets(topic, { timestamp: BigInt(ts) });
        target = found.map((f, i) => (f.offset < 0n ? latest[i]!.offset : f.offset));
        break;
      }
    }
    target.forEach((offset, partition) =>
      offsets.push({ topic, partition, offset, before: before.get(`${topic}/${partition}`) }),
    );
  }
  const deletedTopics = (await admin.listTopics())
    .filter((t) => t.startsWith(`${app}-`) && (t.endsWith('-changelog') || t.endsWith('-repartition')))
    .sort();
  const stateDir = o.stateDir === undefined ? undefined : join(o.stateDir, app);

  const verb = o.dryRun ? 'would ' : '';
  for (const off of offsets)
    log(`${verb}reset ${off.topic}-${off.partition}: ${off.before ?? 'none'} → ${off.offset}`);
  for (const t of deletedTopics) log(`${verb}delete internal topic ${t}`);
  if (stateDir) log(`${verb}delete local state ${stateDir}`);
  if (o.dryRun) return { offsets, deletedTopics, stateDir };

  try {
    if (offsets.length > 0)
      await admin.alterGroupOffsets(
        app,
        offsets.map(({ topic, partition, offset }) => ({ topic, partition, offset })),
      );
    if (deletedTopics.length > 0) {
      await admin.deleteTopics(deletedTopics, { ignoreIfMissing: true });
      // Wait until the broker has dropped them, so a restart recreates them empty.
      for (let i = 0; ; i++) {
        const left = new Set(await admin.listTopics());
        if (!deletedTopics.some((t) => left.has(t))) break;
        if (i >= 300) throw new Error('internal topics still listed after 30 s');
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    if (stateDir) await rm(stateDir, { recursive: true, force: true });
  } catch (cause) {
    throw new MillraceError(
      'MR_RESET_FAILED',
      `the reset of "${app}" stopped part way (${(cause as Error).message}): run it again, it is idempotent`,
      { cause },
    );
  }
  log(
    `reset of "${app}" done: ${offsets.length} partitions, ${deletedTopics.length} internal topics deleted`,
  );
  return { offsets, deletedTopics, stateDir };
}
