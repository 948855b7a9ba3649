import type { KTable } from './ktable.ts';
import type { Materialized, Named } from './options.ts';

/**
 * A re-keyed table, ready to aggregate (Kafka Streams' `KGroupedTable`). When a key's value changes, the old
 * value is subtracted from its old group and the new one added to its new group.
 *
 * @example
 * ```ts
 * regions.groupBy((user, region) => ({ key: region, value: user })).count({ storeName: 'users-per-region' });
 * ```
 */
export interface KGroupedTable<K, V> {
  count(materialized?: Materialized<K, number> & Named): KTable<K, number>;
  reduce(
    adder: (aggregate: V, value: V) => V,
    subtractor: (aggregate: V, value: V) => V,
    materialized?: Materialized<K, V> & Named,
  ): KTable<K, V>;
  aggregate<VA>(
    initializer: () => VA,
    adder: (key: K, value: V, aggregate: VA) => VA,
    subtractor: (key: K, value: V, aggregate: VA) => VA,
    materialized?: Materialized<K, VA> & Named,
  ): KTable<K, VA>;
}
