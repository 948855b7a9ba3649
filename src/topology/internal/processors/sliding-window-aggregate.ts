import type { WindowEntry, WindowStore } from '../../../../state/window-store.ts';
import type { ProcessorContext } from '../../../processor/processor-context.ts';
import type { ProcessorSupplier } from '../../../processor/processor.ts';
import type { StreamRecord } from '../../../processor/record.ts';
import { sequence } from '../../../processor/internal/sequence.ts';
import type { SlidingWindows } from '../../windows.ts';
import type { Timestamped } from '../windowed-serdes.ts';
import { dropRecord } from './dropped-records.ts';
import { forwardResult, type WindowedOutput } from './time-window-aggregate.ts';
import { hasNullKeyOrValue } from './nullish.ts';

type AnySupplier = ProcessorSupplier<unknown, unknown, unknown, unknown>;

/**
 * Sliding-window aggregation (Kafka Streams' `KStreamSlidingWindowAggregate`, same windows): with time
 * difference d, the windows of a key are, for each of its records at r, the left window `[r - d, r]` (for
 * an early record, r < d, the window `[0, d]`) and the right window `[r + 1, r + 1 + d]` when a record falls
 * in it. Both bounds are inclusive. A record at t is late when `t + 1 + d <= streamTime - grace`; a window
 * is updated only while `end > streamTime - grace`.
 *
 * Unlike Kafka Streams, which updates aggregates incrementally, a window's aggregate is recomputed from the
 * key's raw records (kept in `recordsStore` for `2d + grace`) each time a record lands in it; aggregators
 * see records in timestamp order (then arrival order), so results do not depend on arrival order.
 */
export function slidingWindowAggregateSupplier(
  storeName: string,
  recordsStoreName: string,
  windows: SlidingWindows,
  init: () => unknown,
  aggregate: (key: unknown, value: unknown, agg: unknown) => unknown,
  out: WindowedOutput,
): AnySupplier {
  const d = windows.timeDifferenceMs;
  return () => {
    let context: ProcessorContext<unknown, unknown>;
    let store: WindowStore<unknown, Timestamped<unknown>>;
    let records: WindowStore<unknown, unknown>;
    let observed = -1;

    async function update(record: StreamRecord<unknown, unknown>, closeTime: number): Promise<void> {
      const t = record.timestamp;
      const key = record.key;
      const near: WindowEntry<unknown, unknown>[] = [];
      for await (const e of records.fetch(key, t - d - 1, t + d + 1)) near.push(e);
      const has = (from: number, to: number): boolean =>
        near.some((e) => e.windowStart >= from && e.windowStart <= to);
      const starts = new Set<number>();
      for (const e of near) {
        const r = e.windowStart;
        const left = r < d ? 0 : r - d;
        if (left <= t && t <= left + d) starts.add(left);
        if (r < t && r + 1 <= t && t <= r + 1 + d) starts.add(r + 1); // t lands in r's right window
      }
      if (has(t + 1, t + 1 + d)) starts.add(t + 1); // t's own right window
      const results: StreamRecord<unknown, unknown>[] = [];
      for (const start of [...starts].sort((a, b) => a - b)) {
        const end = start + d;
        if (end <= closeTime) continue;
        const inside = near.filter((e) => e.windowStart >= start && e.windowStart <= end);
        if (inside.length === 0) continue;
        let agg = init();
        let maxTs = -1;
        for (const e of inside) {
          agg = aggregate(key, e.value, agg);
          maxTs = Math.max(maxTs, e.windowStart);
        }
        const old = store.fetchOne(key, start);
        store.put(key, { value: agg, timestamp: maxTs }, start);
        results.push({
          key: { key, window: { start, end } },
          value: { newValue: agg, oldValue: old?.value ?? null },
          timestamp: maxTs,
          headers: record.headers,
        });
      }
      await sequence(results, (r) => forwardResult(context, out, r));
      await store.expire();
      await records.expire();
    }

    return {
      init(c) {
        context = c;
        store = c.getStateStore(storeName);
        records = c.getStateStore(recordsStoreName);
      },
      process(record) {
        if (hasNullKeyOrValue(record)) return dropRecord(context, out.node, record, undefined);
        const t = record.timestamp;
        observed = Math.max(observed, t, context.currentStreamTimeMs());
        const closeTime = observed - windows.graceMs;
        if (t + 1 + d <= closeTime) return dropRecord(context, out.node, record, out.lateChild);
        records.put(record.key, record.value, t);
        return update(record, closeTime);
      },
    };
  };
}
