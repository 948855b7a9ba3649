import type { SessionEntry, SessionStore } from '../../../../state/window-store.ts';
import type { ProcessorContext } from '../../../processor/processor-context.ts';
import type { ProcessorSupplier } from '../../../processor/processor.ts';
import type { StreamRecord } from '../../../processor/record.ts';
import { sequence } from '../../../processor/internal/sequence.ts';
import type { SessionWindows } from '../../windows.ts';
import { dropRecord } from './dropped-records.ts';
import { forwardResult, type WindowedOutput } from './time-window-aggregate.ts';
import { hasNullKeyOrValue } from './nullish.ts';

type AnySupplier = ProcessorSupplier<unknown, unknown, unknown, unknown>;

/**
 * Session-window aggregation (Kafka Streams' `KStreamSessionWindowAggregate`): a record at t merges every
 * session of its key that ends at or after `t - gap` and starts at or before `t + gap` into one session
 * `[min start, max end]` (both inclusive), whose aggregate is the merged aggregates (`merger`) plus the new
 * value. The merged-away sessions are deleted and forwarded as tombstones (`Change{null, old}`), then the new
 * session is forwarded. The record is late (counted, dropped or sent to the late topic) when the merged
 * session ends before `streamTime - grace - gap`.
 */
export function sessionWindowAggregateSupplier(
  storeName: string,
  windows: SessionWindows,
  init: () => unknown,
  aggregate: (key: unknown, value: unknown, agg: unknown) => unknown,
  merger: (key: unknown, a: unknown, b: unknown) => unknown,
  out: WindowedOutput,
): AnySupplier {
  return () => {
    let context: ProcessorContext<unknown, unknown>;
    let store: SessionStore<unknown, { value: unknown; timestamp: number }>;
    let observed = -1;

    async function update(record: StreamRecord<unknown, unknown>, closeTime: number): Promise<void> {
      const t = record.timestamp;
      const key = record.key;
      const overlapping: SessionEntry<unknown, { value: unknown; timestamp: number }>[] = [];
      for await (const s of store.findSessions(key, t - windows.gapMs, t + windows.gapMs))
        overlapping.push(s);
      let start = t;
      let end = t;
      let agg = init();
      let timestamp = t;
      for (const s of overlapping) {
        start = Math.min(start, s.start);
        end = Math.max(end, s.end);
        agg = merger(key, agg, s.value.value);
        timestamp = Math.max(timestamp, s.value.timestamp);
      }
      if (end < closeTime) {
        await dropRecord(context, out.node, record, out.lateChild);
        return;
      }
      agg = aggregate(key, record.value, agg);
      const results: StreamRecord<unknown, unknown>[] = [];
      let old: unknown = null;
      for (const s of overlapping) {
        if (s.start === start && s.end === end) {
          old = s.value.value;
          continue;
        }
        store.put(key, s.start, s.end, null);
        results.push({
          key: { key, window: { start: s.start, end: s.end } },
          value: { newValue: null, oldValue: s.value.value },
          timestamp: s.value.timestamp,
          headers: record.headers,
        });
      }
      store.put(key, start, end, { value: agg, timestamp });
      results.push({
        key: { key, window: { start, end } },
        value: { newValue: agg, oldValue: old },
        timestamp,
        headers: record.headers,
      });
      await sequence(results, (r) => forwardResult(context, out, r));
      await store.expire();
    }

    return {
      init(c) {
        context = c;
        store = c.getStateStore(storeName);
      },
      process(record) {
        if (hasNullKeyOrValue(record)) return dropRecord(context, out.node, record, undefined);
        observed = Math.max(observed, record.timestamp, context.currentStreamTimeMs());
        // Kafka Streams: a session closes `gap + grace` after its end (a record up to `gap` later extends it).
        return update(record, observed - windows.graceMs - windows.gapMs);
      },
    };
  };
}
