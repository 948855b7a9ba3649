import type { KTable } from './ktable.ts';
import type { Materialized, Named } from './options.ts';
import type { Windowed } from './windows.ts';

/**
 * Options of a windowed aggregation: {@link Materialized} plus the window store's retention, the emit
 * strategy and where late records go.
 */
export interface WindowedMaterialized<K, V> extends Materialized<K, V>, Named {
  /** How long (stream time) windows are kept; default and minimum: window size (or gap) + grace. */
  retentionMs?: number;
  /**
   * `onWindowUpdate` (default): every update is forwarded. `onWindowClose`: only the final result of each
   * window, once it closes (Kafka Streams' `EmitStrategy.onWindowClose()`), through a restart-safe buffer.
   */
  emitStrategy?: 'onWindowUpdate' | 'onWindowClose';
  /** Late records (older than window end + grace in stream time) go to this topic instead of being only counted. */
  lateRecordsTopic?: string;
}

/**
 * A grouped stream with time windows (tumbling, hopping or sliding) — Kafka Streams' `TimeWindowedKStream`.
 *
 * @example
 * ```ts
 * grouped.windowedBy(TimeWindows.ofSizeAndGrace(60_000, 10_000))
 *   .count({ storeName: 'per-minute', emitStrategy: 'onWindowClose' })
 *   .toStream()
 *   .to('counts-per-minute');
 * ```
 */
export interface TimeWindowedKStream<K, V> {
  count(materialized?: WindowedMaterialized<K, number>): KTable<Windowed<K>, number>;
  reduce(
    reducer: (aggregate: V, value: V) => V,
    materialized?: WindowedMaterialized<K, V>,
  ): KTable<Windowed<K>, V>;
  aggregate<VA>(
    initializer: () => VA,
    aggregator: (key: K, value: V, aggregate: VA) => VA,
    materialized?: WindowedMaterialized<K, VA>,
  ): KTable<Windowed<K>, VA>;
}

/**
 * A grouped stream with session windows — Kafka Streams' `SessionWindowedKStream`. Merging sessions
 * combines their aggregates with `merger`.
 *
 * @example
 * ```ts
 * grouped.windowedBy(SessionWindows.ofInactivityGapAndGrace(30_000, 0)).count({ storeName: 'sessions' });
 * ```
 */
export interface SessionWindowedKStream<K, V> {
  count(materialized?: WindowedMaterialized<K, number>): KTable<Windowed<K>, number>;
  reduce(
    reducer: (aggregate: V, value: V) => V,
    materialized?: WindowedMaterialized<K, V>,
  ): KTable<Windowed<K>, V>;
  aggregate<VA>(
    initializer: () => VA,
    aggregator: (key: K, value: V, aggregate: VA) => VA,
    merger: (key: K, a: VA, b: VA) => VA,
    materialized?: WindowedMaterialized<K, VA>,
  ): KTable<Windowed<K>, VA>;
}

/** What `KTable.suppress` takes (Kafka Streams' `Suppressed`). */
export interface Suppressed {
  readonly kind: 'untilWindowCloses';
  readonly name?: string;
}

export const Suppressed = {
  /** Only the final result of each window, once `window end + grace <= stream time`. */
  untilWindowCloses: (options: { name?: string } = {}): Suppressed =>
    Object.freeze({ kind: 'untilWindowCloses' as const, ...options }),
} as const;
