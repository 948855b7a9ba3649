import type { Cancellable, Punctuator } from '../punctuation.ts';
import { sequence } from './sequence.ts';

interface Schedule {
  next: number;
  readonly interval: number;
  readonly punctuator: Punctuator;
  readonly node: string;
  cancelled: boolean;
}

/**
 * The punctuators of one clock (Kafka Streams' `PunctuationQueue`). A schedule fires when its time is
 * `<= now`, with `now`; then it skips ahead to the first interval boundary after `now` (missed intervals
 * are not replayed).
 */
export class PunctuationQueue {
  readonly #schedules: Schedule[] = [];

  add(firstMs: number, intervalMs: number, node: string, punctuator: Punctuator): Cancellable {
    const schedule: Schedule = { next: firstMs, interval: intervalMs, punctuator, node, cancelled: false };
    this.#schedules.push(schedule);
    return {
      cancel: () => {
        schedule.cancelled = true;
        const i = this.#schedules.indexOf(schedule);
        if (i >= 0) this.#schedules.splice(i, 1);
      },
    };
  }

  clear(): void {
    for (const s of this.#schedules) s.cancelled = true;
    this.#schedules.length = 0;
  }

  /** Fires every due schedule (earliest first) through `run`, which sets up the node's context. */
  maybePunctuate(
    now: number,
    run: (node: string, punctuate: () => void | Promise<void>) => unknown,
  ): void | Promise<void> {
    const due = this.#schedules.filter((s) => s.next <= now).sort((a, b) => a.next - b.next);
    return sequence(due, (s) => {
      if (s.cancelled) return undefined;
      const elapsed = now - s.next;
      s.next = s.next + (Math.floor(elapsed / s.interval) + 1) * s.interval;
      return run(s.node, () => s.punctuator(now));
    });
  }
}
