import type { ContenderName, Guarantee } from './args.ts';

/** One contender's measurement in one scenario and guarantee. */
export interface ContenderResult {
  readonly contender: ContenderName;
  readonly records: number;
  /** From spawn to READY (group joined, tasks running). */
  readonly startupMs: number;
  /** From READY until every input record is processed and committed. */
  readonly processingMs: number;
  /**
   * The steady-state window, measured from outside by committed offsets: from the first observation with
   * at least 10% of the input committed (`fromRecords` of them) until everything is committed. It leaves
   * out start-up, the first rebalance and JIT warm-up, the same way for every contender.
   */
  readonly steady?: { readonly fromRecords: number; readonly ms: number };
  /** Peak resident set (VmHWM) of the contender's process, bytes; undefined if it could not be read. */
  readonly peakRssBytes: number | undefined;
  /**
   * Peak anonymous resident memory (RssAnon sampled every 200 ms), bytes: the process's own memory without
   * the pages of mapped files (LMDB maps its data file, and VmHWM counts every page of it a process touched).
   */
  readonly peakAnonBytes?: number | undefined;
  /** CPU seconds of the contender's process (user + system, every thread) from spawn to done. */
  readonly cpuSeconds?: number | undefined;
  /** End offsets of its output topic summed (records out; under EOS, commit markers included). */
  readonly outputOffsets?: number;
  /** Records it dead-lettered (Millrace: `<input>.dlq`); anything but 0 means it skipped work. */
  readonly deadLettered?: number;
  /** Set when the contender failed; the other fields are then not meaningful. */
  readonly error?: string;
}

export interface ScenarioResult {
  readonly scenario: string;
  readonly guarantee: Guarantee;
  readonly events: number;
  readonly results: readonly ContenderResult[];
}

/** How a scenario's rates are measured; the same for every contender of the scenario. */
export type RateWindow = 'steady' | 'cold';

/**
 * Records per second. `steady`: from the first look with ≥ 10% of the input committed to the end (leaves
 * out start-up, the first rebalance and warm-up). `cold`: every record over spawn → all committed
 * (start-up included), for when a steady window cannot be seen for some contender: e.g. one that commits
 * nothing until all its tasks run, or a fast first stage in front of a repartition topic.
 */
export function recordsPerSecond(r: ContenderResult, window: RateWindow = windowOf([r])): number | undefined {
  if (r.error !== undefined) return undefined;
  if (window === 'steady')
    return r.steady && r.steady.ms > 0
      ? ((r.records - r.steady.fromRecords) * 1000) / r.steady.ms
      : undefined;
  const total = r.startupMs + r.processingMs;
  return total > 0 ? (r.records * 1000) / total : undefined;
}

/** `steady` when every successful contender has a steady window, else `cold`. */
export function windowOf(results: readonly ContenderResult[]): RateWindow {
  return results.every((r) => r.error !== undefined || (r.steady !== undefined && r.steady.ms > 0))
    ? 'steady'
    : 'cold';
}

/**
 * Per contender, the run with the median rate of its rounds (in the window every run of the scenario
 * allows; a failed run ranks lowest). With one round it is that run.
 */
export function medianPerContender(
  runs: readonly ContenderResult[],
  contenders: readonly ContenderName[],
): ContenderResult[] {
  const window = windowOf(runs);
  const out: ContenderResult[] = [];
  for (const c of contenders) {
    const mine = runs
      .filter((r) => r.contender === c)
      .sort((a, b) => (recordsPerSecond(a, window) ?? -1) - (recordsPerSecond(b, window) ?? -1));
    const median = mine[(mine.length - 1) >> 1];
    if (median !== undefined) out.push(median);
  }
  return out;
}

/** Records per second from READY to all committed (start-up excluded, warm-up included). */
export function readyToDoneRate(r: ContenderResult): number | undefined {
  return r.error === undefined && r.processingMs > 0 ? (r.records * 1000) / r.processingMs : undefined;
}

/** Throughput ratio a/b (> 1: a is faster) in one window; undefined when either is missing or failed. */
export function throughputRatio(
  a: ContenderResult | undefined,
  b: ContenderResult | undefined,
  window: RateWindow,
): number | undefined {
  const ra = a && recordsPerSecond(a, window);
  const rb = b && recordsPerSecond(b, window);
  return ra === undefined || rb === undefined ? undefined : ra / rb;
}

export interface RatioRow {
  readonly scenario: string;
  readonly guarantee: Guarantee;
  readonly events: number;
  readonly window: RateWindow;
  readonly millraceRps: number | undefined;
  readonly kafkaStreamsRps: number | undefined;
  readonly ceilingRps: number | undefined;
  readonly vsKafkaStreams: number | undefined;
  readonly vsCeiling: number | undefined;
  readonly rssMiB: Readonly<Record<ContenderName, number | undefined>>;
  readonly anonMiB: Readonly<Record<ContenderName, number | undefined>>;
  /** CPU microseconds per input record, spawn → done (start-up included). */
  readonly cpuUsPerRecord: Readonly<Record<ContenderName, number | undefined>>;
}

export function ratioRow(s: ScenarioResult): RatioRow {
  const by = (c: ContenderName) => s.results.find((r) => r.contender === c);
  const window = windowOf(s.results);
  const mib = (c: ContenderName) => {
    const b = by(c)?.peakRssBytes;
    return b === undefined ? undefined : b / 1024 / 1024;
  };
  const anon = (c: ContenderName) => {
    const b = by(c)?.peakAnonBytes;
    return b === undefined ? undefined : b / 1024 / 1024;
  };
  const cpu = (c: ContenderName) => {
    const r = by(c);
    return r?.cpuSeconds === undefined || r.error !== undefined
      ? undefined
      : (r.cpuSeconds * 1e6) / r.records;
  };
  const rps = (c: ContenderName) => {
    const r = by(c);
    return r && recordsPerSecond(r, window);
  };
  return {
    scenario: s.scenario,
    guarantee: s.guarantee,
    events: s.events,
    window,
    millraceRps: rps('millrace'),
    kafkaStreamsRps: rps('kafka-streams'),
    ceilingRps: rps('ceiling'),
    vsKafkaStreams: throughputRatio(by('millrace'), by('kafka-streams'), window),
    vsCeiling: throughputRatio(by('millrace'), by('ceiling'), window),
    rssMiB: { millrace: mib('millrace'), 'kafka-streams': mib('kafka-streams'), ceiling: mib('ceiling') },
    anonMiB: { millrace: anon('millrace'), 'kafka-streams': anon('kafka-streams'), ceiling: anon('ceiling') },
    cpuUsPerRecord: {
      millrace: cpu('millrace'),
      'kafka-streams': cpu('kafka-streams'),
      ceiling: cpu('ceiling'),
    },
  };
}

const HEADER = [
  'scenario',
  'guarantee',
  'events',
  'window',
  'Millrace rec/s',
  'Kafka Streams rec/s',
  'ceiling rec/s',
  'Millrace/KS',
  'Millrace/ceiling',
  'peak RSS MiB (MR / KS / ceiling)',
  'peak anon MiB (MR / KS / ceiling)',
  'CPU µs/record (MR / KS / ceiling)',
];

/** A Markdown table of the ratios (the one docs/benchmarks.md keeps). */
export function ratioTable(rows: readonly RatioRow[]): string {
  const lines = [`| ${HEADER.join(' | ')} |`, `| ${HEADER.map(() => '---').join(' | ')} |`];
  for (const r of rows) {
    lines.push(
      `| ${[
        r.scenario,
        r.guarantee,
        String(r.events),
        r.window,
        num(r.millraceRps),
        num(r.kafkaStreamsRps),
        num(r.ceilingRps),
        ratio(r.vsKafkaStreams),
        ratio(r.vsCeiling),
        `${num(r.rssMiB.millrace)} / ${num(r.rssMiB['kafka-streams'])} / ${num(r.rssMiB.ceiling)}`,
        `${num(r.anonMiB.millrace)} / ${num(r.anonMiB['kafka-streams'])} / ${num(r.anonMiB.ceiling)}`,
        `${num(r.cpuUsPerRecord.millrace)} / ${num(r.cpuUsPerRecord['kafka-streams'])} / ${num(r.cpuUsPerRecord.ceiling)}`,
      ].join(' | ')} |`,
    );
  }
  return lines.join('\n');
}

/** Percentile (nearest rank) of ascending-sorted values; undefined for none. */
export function percentile(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

function num(n: number | undefined): string {
  return n === undefined ? 'n/a' : Math.round(n).toLocaleString('en-US');
}

function ratio(n: number | undefined): string {
  return n === undefined ? 'n/a' : n.toFixed(2);
}
