import type { KTable } from './ktable.ts';
import type { Materialized, Named } from './options.ts';
import type { SessionWindowedKStream, TimeWindowedKStream } from './windowed-kstream.ts';
import type { SessionWindows, SlidingWindows, TimeWindows } from './windows.ts';

/**
 * A stream grouped by key, ready to aggregate (Kafka Streams' `KGroupedStream`). Results are KTables kept
 * in a named store (changelog `<app>-<store>-changelog`). Null keys and values are skipped.
 *
 * @example
 * ```ts
 * const totals = orders.groupByKey().aggregate(() => 0, (_key, order, sum) => sum + order.amount, { storeName: 'totals' });
 * ```
 */
export interface KGroupedStream<K, V> {
  count(materialized?: Materialized<K, number> & Named): KTable<K, number>;
  reduce(reducer: (aggregate: V, value: V) => V, materialized?: Materialized<K, V> & Named): KTable<K, V>;
  aggregate<VA>(
    initializer: () => VA,
    aggregator: (key: K, value: V, aggregate: VA) => VA,
    materialized?: Materialized<K, VA> & Named,
  ): KTable<K, VA>;
  /** Windowed aggregations: tumbling/hopping ({@link TimeWindows}) or sliding windows. */
  windowedBy(windows: TimeWindows | SlidingWindows): TimeWindowedKStream<K, V>;
  /** Session-windowed aggregations. */
  windowedBy(windows: SessionWindows): SessionWindowedKStream<K, V>;
}
