import { MillraceError } from '../errors/index.ts';

/**
 * Window definitions of the DSL (Kafka Streams' `TimeWindows`, `SlidingWindows`, `SessionWindows`,
 * `JoinWindows`), as frozen plain objects. Times are milliseconds of event time; a window's grace is how long
 * after its end it still accepts out-of-order records (measured in stream time: the largest timestamp seen).
 *
 * @example
 * ```ts
 * grouped.windowedBy(TimeWindows.ofSizeAndGrace(60_000, 5_000).advanceBy(10_000)).count();
 * grouped.windowedBy(SessionWindows.ofInactivityGapAndGrace(30_000, 0)).count();
 * left.join(right, (a, b) => [a, b], JoinWindows.ofTimeDifferenceAndGrace(10_000, 5_000));
 * ```
 */

/** A time window `[start, end)` (time windows) or `[start, end]` (sliding and session windows). */
export interface Window {
  readonly start: number;
  readonly end: number;
}

/** The key of a windowed KTable: the record key and its window (Kafka Streams' `Windowed<K>`). */
export interface Windowed<K> {
  readonly key: K;
  readonly window: Window;
}

/** Tumbling (`advanceMs === sizeMs`) or hopping windows, aligned to the epoch. */
export interface TimeWindows {
  readonly type: 'time';
  readonly sizeMs: number;
  readonly advanceMs: number;
  readonly graceMs: number;
  /** Hopping windows: a new window every `advanceMs` (0 < advance <= size). */
  advanceBy(advanceMs: number): TimeWindows;
}

/** Windows of at most `timeDifferenceMs` between the records they hold, both bounds inclusive. */
export interface SlidingWindows {
  readonly type: 'sliding';
  readonly timeDifferenceMs: number;
  readonly graceMs: number;
}

/** Sessions: records closer than `gapMs` to each other share a session. */
export interface SessionWindows {
  readonly type: 'session';
  readonly gapMs: number;
  readonly graceMs: number;
}

/** The window of a stream-stream join: a record at t joins records of the other side in [t - before, t + after]. */
export interface JoinWindows {
  readonly type: 'join';
  readonly beforeMs: number;
  readonly afterMs: number;
  readonly graceMs: number;
  before(ms: number): JoinWindows;
  after(ms: number): JoinWindows;
}

function check(what: string, ms: number, min: number): void {
  if (!Number.isSafeInteger(ms) || ms < min) {
    throw new MillraceError(
      'MR_TOPOLOGY_INVALID',
      `${what} must be an integer of at least ${min} ms, got ${ms}: pass milliseconds`,
    );
  }
}

function timeWindows(sizeMs: number, advanceMs: number, graceMs: number): TimeWindows {
  check('a window size', sizeMs, 1);
  check('a window advance', advanceMs, 1);
  check('a grace period', graceMs, 0);
  if (advanceMs > sizeMs) {
    throw new MillraceError(
      'MR_TOPOLOGY_INVALID',
      `a window advance (${advanceMs} ms) larger than its size (${sizeMs} ms) would skip records: advance by at most the size`,
    );
  }
  return Object.freeze({
    type: 'time' as const,
    sizeMs,
    advanceMs,
    graceMs,
    advanceBy: (a: number) => timeWindows(sizeMs, a, graceMs),
  });
}

function joinWindows(beforeMs: number, afterMs: number, graceMs: number): JoinWindows {
  check('a join window bound', beforeMs, 0);
  check('a join window bound', afterMs, 0);
  check('a grace period', graceMs, 0);
  return Object.freeze({
    type: 'join' as const,
    beforeMs,
    afterMs,
    graceMs,
    before: (b: number) => joinWindows(b, afterMs, graceMs),
    after: (a: number) => joinWindows(beforeMs, a, graceMs),
  });
}

export const TimeWindows = {
  /** Tumbling windows of `sizeMs`, accepting records up to `graceMs` after a window ends. */
  ofSizeAndGrace: (sizeMs: number, graceMs: number): TimeWindows => timeWindows(sizeMs, sizeMs, graceMs),
  ofSizeWithNoGrace: (sizeMs: number): TimeWindows => timeWindows(sizeMs, sizeMs, 0),
} as const;

export const SlidingWindows = {
  ofTimeDifferenceAndGrace(timeDifferenceMs: number, graceMs: number): SlidingWindows {
    check('a sliding window time difference', timeDifferenceMs, 1);
    check('a grace period', graceMs, 0);
    return Object.freeze({ type: 'sliding' as const, timeDifferenceMs, graceMs });
  },
  ofTimeDifferenceWithNoGrace: (timeDifferenceMs: number): SlidingWindows =>
    SlidingWindows.ofTimeDifferenceAndGrace(timeDifferenceMs, 0),
} as const;

export const SessionWindows = {
  ofInactivityGapAndGrace(gapMs: number, graceMs: number): SessionWindows {
    check('a session inactivity gap', gapMs, 1);
    check('a grace period', graceMs, 0);
    return Object.freeze({ type: 'session' as const, gapMs, graceMs });
  },
  ofInactivityGapWithNoGrace: (gapMs: number): SessionWindows =>
    SessionWindows.ofInactivityGapAndGrace(gapMs, 0),
} as const;

export const JoinWindows = {
  /** Records at most `timeDifferenceMs` apart join; non-joined records of left/outer joins wait for the grace. */
  ofTimeDifferenceAndGrace: (timeDifferenceMs: number, graceMs: number): JoinWindows =>
    joinWindows(timeDifferenceMs, timeDifferenceMs, graceMs),
  ofTimeDifferenceWithNoGrace: (timeDifferenceMs: number): JoinWindows =>
    joinWindows(timeDifferenceMs, timeDifferenceMs, 0),
} as const;

/**
 * The windows of a time-windows definition that contain `timestamp` (Kafka Streams' `TimeWindows.windowsFor`):
 * starts are multiples of the advance, `start <= timestamp < start + size`.
 */
export function timeWindowsFor(w: TimeWindows, timestamp: number): Window[] {
  const out: Window[] = [];
  let start = Math.floor(Math.max(0, timestamp - w.sizeMs + w.advanceMs) / w.advanceMs) * w.advanceMs;
  for (; start <= timestamp; start += w.advanceMs) out.push({ start, end: start + w.sizeMs });
  return out;
}
