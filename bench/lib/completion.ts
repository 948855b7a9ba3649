import type { KafkaAdmin, KafkaClient, TopicPartitionOffset } from '../../src/kafka/index.ts';

/** A compact progress curve for the log: `+0.4s 12% +0.9s 35% …` (times from `from`). */
export function formatTrace(
  trace: readonly (readonly [number, number])[],
  from: number,
  total: number,
): string {
  return trace
    .map(([t, n]) => `+${((t - from) / 1000).toFixed(1)}s ${Math.floor((100 * n) / total)}%`)
    .join(' ');
}

/** Sum of offsets, as a number (benchmark sizes stay far below 2^53). */
export function totalOffset(offsets: readonly TopicPartitionOffset[]): number {
  return offsets.reduce((s, o) => s + Number(o.offset), 0);
}

/**
 * Whether `committed` reaches `targets` on every partition (a partition with target 0 needs no commit).
 */
export function reaches(
  committed: readonly TopicPartitionOffset[],
  targets: readonly TopicPartitionOffset[],
): boolean {
  const at = new Map(committed.map((c) => [`${c.topic}:${c.partition}`, c.offset]));
  return targets.every((t) => t.offset === 0n || (at.get(`${t.topic}:${t.partition}`) ?? -1n) >= t.offset);
}

/** Committed offsets of `group` on the input topic, capped per partition at the target (for sums). */
export function committedProgress(
  committed: readonly TopicPartitionOffset[],
  targets: readonly TopicPartitionOffset[],
): number {
  const at = new Map(committed.map((c) => [`${c.topic}:${c.partition}`, c.offset]));
  let sum = 0;
  for (const t of targets) {
    const c = at.get(`${t.topic}:${t.partition}`) ?? 0n;
    sum += Number(c < t.offset ? c : t.offset);
  }
  return sum;
}

export interface CompletionOptions {
  readonly group: string;
  /** End offsets of the input topic(s) after loading. */
  readonly inputEnd: readonly TopicPartitionOffset[];
  /** Resolves at each milestone (sum of committed input offsets ≥ it); used by key-growth. */
  readonly milestones?: readonly number[];
  /** Committed input records from which the steady-state rate is measured (default 10% of the input). */
  readonly steadyFrom?: number;
  readonly pollMs?: number;
  /** Stop waiting (the contender died). */
  readonly aborted?: () => string | undefined;
  readonly timeoutMs?: number;
}

export interface Completion {
  /** performance.now() when everything was committed. */
  readonly doneAt: number;
  /** Every change of the committed input total seen: [performance.now(), records]. */
  readonly trace: readonly (readonly [number, number])[];
  /** The first observation at or beyond `steadyFrom` committed input records: [performance.now(), records]. */
  readonly steadyStart: readonly [number, number] | undefined;
  /** performance.now() when each milestone was first seen. */
  readonly milestonesAt: readonly number[];
}

/**
 * Waits until `group` has committed the whole input and then every record of its repartition topics
 * (`<group>-…-repartition`, whose contents are final once the input is committed: a task flushes, or
 * commits the transaction of, what it produced before it commits its input offsets). A repartition
 * topic written transactionally ends with a commit marker that no consumer position needs to pass, so
 * its target is the offset after its last data record, found by reading its tail.
 */
export async function waitForCompletion(kafka: KafkaClient, o: CompletionOptions): Promise<Completion> {
  const admin = kafka.admin();
  const pollMs = o.pollMs ?? 100;
  const deadline = performance.now() + (o.timeoutMs ?? 3_600_000);
  const milestones = o.milestones ?? [];
  const milestonesAt: number[] = [];
  const inputTopics = [...new Set(o.inputEnd.map((t) => t.topic))];
  let repartitionTargets: TopicPartitionOffset[] | undefined;
  const steadyFrom = o.steadyFrom ?? Math.ceil(totalOffset(o.inputEnd) * 0.1);
  let steadyStart: [number, number] | undefined;
  const trace: [number, number][] = [];
  for (;;) {
    const why = o.aborted?.();
    if (why !== undefined) throw new Error(why);
    if (performance.now() > deadline) throw new Error(`group ${o.group} did not finish in time`);
    const committed = await admin.listGroupOffsets(o.group);
    const now = performance.now();
    const progress = committedProgress(committed, o.inputEnd);
    if (steadyStart === undefined && progress >= steadyFrom) steadyStart = [now, progress];
    if (progress !== (trace.at(-1)?.[1] ?? 0)) trace.push([now, progress]);
    while (milestonesAt.length < milestones.length && progress >= milestones[milestonesAt.length]!) {
      milestonesAt.push(now);
    }
    if (reaches(committed, o.inputEnd)) {
      repartitionTargets ??= await repartitionEnds(kafka, admin, o.group, inputTopics);
      if (reaches(committed, repartitionTargets)) return { doneAt: now, milestonesAt, steadyStart, trace };
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

async function repartitionEnds(
  kafka: KafkaClient,
  admin: KafkaAdmin,
  group: string,
  inputTopics: readonly string[],
): Promise<TopicPartitionOffset[]> {
  const topics = (await admin.listTopics()).filter(
    (t) => t.startsWith(`${group}-`) && t.endsWith('-repartition') && !inputTopics.includes(t),
  );
  const out: TopicPartitionOffset[] = [];
  for (const topic of topics) {
    for (const end of await admin.listOffsets(topic, 'latest')) {
      out.push({
        topic,
        partition: end.partition,
        offset: await lastDataOffsetPlusOne(kafka, topic, end.partition, end.offset),
      });
    }
  }
  return out;
}

/** The offset after the last data record of a partition whose end offset is `end` (0 when empty). */
async function lastDataOffsetPlusOne(
  kafka: KafkaClient,
  topic: string,
  partition: number,
  end: bigint,
): Promise<bigint> {
  if (end === 0n) return 0n;
  const reader = kafka.partitionReader({ isolationLevel: 'read_committed' });
  try {
    let from = end - 10n < 0n ? 0n : end - 10n;
    for (;;) {
      let last = -1n;
      for await (const batch of reader.readToEnd({ topic, partition, offset: from })) {
        for (const r of batch) if (r.offset > last) last = r.offset;
      }
      if (last >= 0n) return last + 1n;
      if (from === 0n) return 0n;
      from = from - 1000n < 0n ? 0n : from - 1000n;
    }
  } finally {
    await reader.close();
  }
}
