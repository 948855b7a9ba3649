import type { KeyValue } from '../../state/types.ts';
import type { KGroupedTable } from './kgrouped-table.ts';
import type { KStream } from './kstream.ts';
import type { Grouped, Named } from './options.ts';
import type { Suppressed } from './windowed-kstream.ts';

/**
 * A changelog stream viewed as a table (Kafka Streams' `KTable`): each key's latest value; a null value
 * deletes. Downstream it forwards `Change{newValue, oldValue}`, so `groupBy(...).aggregate(adder, subtractor)`
 * can move values between groups.
 *
 * @example
 * ```ts
 * builder.table<string, string>('user-regions', { keySerde: stringSerde(), valueSerde: stringSerde() })
 *   .groupBy((user, region) => ({ key: region, value: user }))
 *   .count({ storeName: 'users-per-region' });
 * ```
 */
export interface KTable<K, V> {
  /** The name of the store holding this table, when it is materialized. */
  readonly queryableStoreName: string | undefined;
  filter(predicate: (key: K, value: V) => boolean, named?: Named): KTable<K, V>;
  filterNot(predicate: (key: K, value: V) => boolean, named?: Named): KTable<K, V>;
  mapValues<VR>(mapper: (value: V, key: K) => VR, named?: Named): KTable<K, VR>;
  toStream(named?: Named): KStream<K, V | null>;
  /** Re-keys the table for an aggregation; always goes through a repartition topic. */
  groupBy<KR, VR>(
    selector: (key: K, value: V) => KeyValue<KR, VR>,
    grouped?: Grouped<KR, VR>,
  ): KGroupedTable<KR, VR>;
  /**
   * Holds back updates of a windowed table and emits each window's final result once it closes. Only for
   * windowed KTables (results of `windowedBy(...)` aggregations).
   */
  suppress(suppressed: Suppressed, named?: Named): KTable<K, V>;
  /** KTable-KTable inner equi-join: a result while both sides have a value; a tombstone when one ends. */
  join<VO, VR>(other: KTable<K, VO>, joiner: (value: V, other: VO) => VR, named?: Named): KTable<K, VR>;
  /**
   * Foreign-key inner join (KIP-213): each row of this table joins the row of `other` whose key
   * `foreignKeyExtractor(value)` returns. The tables need not be co-partitioned: the join subscribes rows
   * through `<app>-…-subscription-registration-topic` and answers through
   * `<app>-…-subscription-response-topic`. A row with a null foreign key, or whose foreign row is
   * missing, has no result (a tombstone retracts an earlier one).
   *
   * @example
   * ```ts
   * orders.join(customers, (order) => order.customerId, (order, customer) => ({ ...order, customer }));
   * ```
   */
  join<KO, VO, VR>(
    other: KTable<KO, VO>,
    foreignKeyExtractor: (value: V) => KO | null,
    joiner: (value: V, other: VO) => VR,
    named?: Named,
  ): KTable<K, VR>;
  leftJoin<VO, VR>(
    other: KTable<K, VO>,
    joiner: (value: V, other: VO | null) => VR,
    named?: Named,
  ): KTable<K, VR>;
  /** Foreign-key left join: like the foreign-key `join`, but every row has a result (`other` null when missing). */
  leftJoin<KO, VO, VR>(
    other: KTable<KO, VO>,
    foreignKeyExtractor: (value: V) => KO | null,
    joiner: (value: V, other: VO | null) => VR,
    named?: Named,
  ): KTable<K, VR>;
  outerJoin<VO, VR>(
    other: KTable<K, VO>,
    joiner: (value: V | null, other: VO | null) => VR,
    named?: Named,
  ): KTable<K, VR>;
}

/** A table replicated in full on every instance, readable from every task (Kafka Streams' `GlobalKTable`). */
export interface GlobalKTable<K, V> {
  readonly queryableStoreName: string;
  /** Phantom fields that keep the type parameters; never set. */
  readonly __key?: K;
  readonly __value?: V;
}
