import type { TaskLifecycleState } from './task-lifecycle.ts';

/** Failures by what was done with them. */
export interface ErrorCounts {
  deserialization: number;
  processing: number;
}

/**
 * A latency distribution in fixed buckets (milliseconds), cheap enough to observe per record: the
 * Prometheus exporter turns it into a histogram (`_bucket{le}`, `_sum`, `_count`).
 */
export class LatencyHistogram {
  /** Upper bounds (ms), ascending; a last implicit bucket holds everything larger. */
  static readonly BOUNDS_MS = [
    1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000, 60_000,
  ] as const;
  /** Observations per bucket (not cumulative); the last entry is the overflow bucket. */
  readonly counts = new Array<number>(LatencyHistogram.BOUNDS_MS.length + 1).fill(0);
  sumMs = 0;
  count = 0;

  observe(ms: number): void {
    const v = ms < 0 ? 0 : ms;
    const bounds = LatencyHistogram.BOUNDS_MS;
    let i = 0;
    while (i < bounds.length && v > bounds[i]!) i++;
    this.counts[i]!++;
    this.sumMs += v;
    this.count++;
  }
}

/**
 * The runtime's own counters (Kafka Streams' thread/task metrics, by the same names in camelCase). The
 * Prometheus exporter reads them; tests read them directly.
 */
export class StreamsMetrics {
  processedTotal = 0;
  /** Records sent to a dead-letter topic. */
  readonly deadLettered: ErrorCounts = { deserialization: 0, processing: 0 };
  /** Records logged and skipped (handler `continue`). */
  readonly skipped: ErrorCounts = { deserialization: 0, processing: 0 };
  /** Wall-clock time from a record's timestamp to the end of its processing (Kafka Streams record-e2e-latency). */
  readonly e2eLatency = new LatencyHistogram();
  /** Time spent waiting in the consumer's poll (Kafka Streams poll-latency). */
  pollLatencyMsTotal = 0;
  pollLatencyMsMax = 0;
  commitTotal = 0;
  commitLatencyMsTotal = 0;
  commitLatencyMsMax = 0;
  pollTotal = 0;
  rebalanceTotal = 0;
  /** Times the tasks were closed dirty and resumed from the last commit after a fenced/aborted transaction. */
  taskMigratedTotal = 0;
  restoredRecordsTotal = 0;
  /** Records windowed operations dropped as late (Kafka Streams' `dropped-records`). */
  droppedRecordsTotal = 0;
  readonly taskStates = new Map<string, TaskLifecycleState>();
  /** Per `<taskId>/<store>`: restored so far and the total of the current restore. */
  readonly restoreProgress = new Map<string, { restored: number; total: number; done: boolean }>();
  /**
   * Per standby task id (a warm replica kept on this instance; the keys are exactly the current standbys):
   * changelog records applied since it started here, and how far it is behind the changelogs' ends as of
   * the last end-offset lookup (Kafka Streams' standby `records-lag`).
   */
  readonly standbyProgress = new Map<string, { applied: number; lag: number }>();

  recordCommit(latencyMs: number): void {
    this.commitTotal++;
    this.commitLatencyMsTotal += latencyMs;
    this.commitLatencyMsMax = Math.max(this.commitLatencyMsMax, latencyMs);
  }

  /** Whether every task restore that started has finished. */
  get restoresDone(): boolean {
    for (const p of this.restoreProgress.values()) if (!p.done) return false;
    return true;
  }
}
