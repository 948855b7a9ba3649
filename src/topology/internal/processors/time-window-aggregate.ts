import type { WindowStore } from '../../../../state/window-store.ts';
import type { Change } from '../../../processor/change.ts';
import type { ProcessorContext } from '../../../processor/processor-context.ts';
import type { ProcessorSupplier } from '../../../processor/processor.ts';
import type { StreamRecord } from '../../../processor/record.ts';
import { sequence } from '../../../processor/internal/sequence.ts';
import { timeWindowsFor, type TimeWindows, type Windowed } from '../../windows.ts';
import type { Timestamped } from '../windowed-serdes.ts';
import { forwardOnCacheFlush } from './cache-forwarder.ts';
import { dropRecord } from './dropped-records.ts';
import { hasNullKeyOrValue } from './nullish.ts';

type AnySupplier = ProcessorSupplier<unknown, unknown, unknown, unknown>;

/** Where a windowed aggregation sends results and late records. */
export interface WindowedOutput {
  readonly node: string;
  /** Set when late records go to a late-records sink: results then go only to `resultsChild`. */
  readonly lateChild: string | undefined;
  readonly resultsChild: string | undefined;
}

/** Forwards a result to the results child (or every child when there is no late-records branch). */
export function forwardResult(
  context: ProcessorContext<unknown, unknown>,
  out: WindowedOutput,
  record: StreamRecord<unknown, unknown>,
): void | Promise<void> {
  return out.resultsChild === undefined ? context.forward(record) : context.forward(record, out.resultsChild);
}

/**
 * Tumbling/hopping window aggregation (Kafka Streams' `KStreamWindowAggregate`). Stream time is the task's
 * (`context.currentStreamTimeMs()`, which a runtime can resume after a restart) or the largest timestamp
 * this processor has seen, whichever is larger; a window `[start, end)` accepts a record while `end > streamTime - grace`
 * (it is closed once `end <= streamTime - grace`). A record no open window accepts is late: counted and
 * dropped, or sent to the late-records topic. Each update forwards `Change{new, old}` keyed by `Windowed<K>`
 * with the largest timestamp of the window's records. Null keys and values are dropped. With a cached store
 * the cache forwards instead, once per window per flush (Kafka Streams' `TimestampedCacheFlushListener`).
 */
export function timeWindowAggregateSupplier(
  storeName: string,
  windows: TimeWindows,
  init: () => unknown,
  aggregate: (key: unknown, value: unknown, agg: unknown) => unknown,
  out: WindowedOutput,
): AnySupplier {
  return () => {
    let context: ProcessorContext<unknown, unknown>;
    let store: WindowStore<unknown, Timestamped<unknown>>;
    let observed = -1;
    let cached = false;
    return {
      init(c) {
        context = c;
        store = c.getStateStore(storeName);
        cached = forwardOnCacheFlush<{ key: unknown; windowStart: number }, Timestamped<unknown>>(
          c,
          store,
          (f) => ({
            key: {
              key: f.key.key,
              window: { start: f.key.windowStart, end: f.key.windowStart + windows.sizeMs },
            },
            value: { newValue: f.newValue?.value ?? null, oldValue: f.oldValue?.value ?? null },
            timestamp: f.newValue?.timestamp ?? f.context?.timestamp ?? context.currentStreamTimeMs(),
            headers: f.context?.headers ?? [],
          }),
          (r) => forwardResult(context, out, r),
        );
      },
      process(record) {
        if (hasNullKeyOrValue(record)) return dropRecord(context, out.node, record, undefined);
        const ts = record.timestamp;
        observed = Math.max(observed, ts, context.currentStreamTimeMs());
        const closeTime = observed - windows.graceMs;
        const results: StreamRecord<Windowed<unknown>, Change<unknown>>[] = [];
        let accepted = false;
        for (const w of timeWindowsFor(windows, ts)) {
          if (w.end <= closeTime) continue; // this window is closed
          const old = store.fetchOne(record.key, w.start);
          const next = aggregate(record.key, record.value, old === undefined ? init() : old.value);
          const timestamp = Math.max(ts, old?.timestamp ?? ts);
          store.put(record.key, { value: next, timestamp }, w.start);
          accepted = true;
          if (cached) continue;
          results.push({
            key: { key: record.key, window: w },
            value: { newValue: next, oldValue: old?.value ?? null },
            timestamp,
            headers: record.headers,
          });
        }
        if (!accepted) return dropRecord(context, out.node, record, out.lateChild);
        return sequence([...results, undefined], (r) =>
          r === undefined ? store.expire() : forwardResult(context, out, r),
        );
      },
    };
  };
}
