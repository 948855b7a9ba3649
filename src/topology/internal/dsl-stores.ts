import type { WindowedStoreOptions } from '../../../state/window-store.ts';
import type { Serde } from '../../serdes/serde.ts';
import type { Materialized } from '../options.ts';
import type { InternalBuilder } from './internal-builder.ts';

type S = Serde<unknown>;

/**
 * Registers the store of a DSL aggregation (`count`, `reduce`, `aggregate` of a grouped stream or table):
 * logged, cached and persistent unless `m` turns one off.
 */
export function addAggregateStore(
  b: InternalBuilder,
  name: string,
  m: Materialized<unknown, unknown> | undefined,
  keySerde: S,
  valueSerde: S,
): void {
  b.addStore({
    name,
    keySerde,
    valueSerde,
    logged: m?.loggingEnabled ?? true,
    cached: m?.cachingEnabled ?? true,
    persistent: m?.persistent ?? true,
    globalTopic: undefined,
  });
}

/**
 * Registers a store the DSL adds for its own bookkeeping (join buffers, materialized join sides, foreign-key
 * subscriptions): always logged and persistent, never cached, not configurable by the user.
 */
export function addInternalStore(
  b: InternalBuilder,
  name: string,
  keySerde: S,
  valueSerde: S,
  windowed?: WindowedStoreOptions,
): void {
  b.addStore({
    name,
    keySerde,
    valueSerde,
    logged: true,
    persistent: true,
    globalTopic: undefined,
    ...(windowed === undefined ? {} : { windowed }),
  });
}
