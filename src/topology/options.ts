import type { Serde } from '../serdes/serde.ts';
import type { TimestampExtractor } from '../time/timestamp-extractor.ts';

/**
 * Options of the DSL operations (Kafka Streams' `Consumed`, `Produced`, `Grouped`, `Materialized`,
 * `Repartitioned`, `Named`) as plain objects. A serde left out is inherited from upstream when the key or
 * value type did not change, and is JSON otherwise.
 *
 * @example
 * ```ts
 * stream.groupByKey({ keySerde: stringSerde() }).count({ storeName: 'counts' });
 * ```
 */
export interface Named {
  /** The processor name (instead of a generated `KSTREAM-...-0000000007`). */
  name?: string;
}

/** How a source reads its topic. */
export interface Consumed<K, V> extends Named {
  keySerde?: Serde<K>;
  valueSerde?: Serde<V>;
  /**
   * Where the event time comes from (default: the Kafka record timestamp), e.g.
   * `valueFieldTimestampExtractor('occurredAt')`. A record whose time cannot be extracted is dead-lettered.
   */
  timestampExtractor?: TimestampExtractor;
}

/** How a sink writes its topic. */
export interface Produced<K, V> extends Named {
  keySerde?: Serde<K>;
  valueSerde?: Serde<V>;
}

/** How a grouping repartitions; `name` also names the repartition topic `<app>-<name>-repartition`. */
export interface Grouped<K, V> extends Named {
  keySerde?: Serde<K>;
  valueSerde?: Serde<V>;
}

/** How a table or aggregation is stored. */
export interface Materialized<K, V> {
  /** The store name (queryable); default a generated `...-STATE-STORE-0000000003`. */
  storeName?: string;
  keySerde?: Serde<K>;
  valueSerde?: Serde<V>;
  /** Log writes to `<app>-<store>-changelog` (default true). */
  loggingEnabled?: boolean;
  /** Disk-backed (default true); false for an in-memory store. */
  persistent?: boolean;
  /**
   * Aggregations: keep updates in the record cache (`statestore.cache.max.bytes`) and forward, log and
   * store each key once per commit or eviction (default true, as Kafka Streams' `withCachingEnabled`);
   * false forwards every update (`withCachingDisabled`).
   */
  cachingEnabled?: boolean;
}

/** An explicit repartition. */
export interface Repartitioned<K, V> extends Named {
  keySerde?: Serde<K>;
  valueSerde?: Serde<V>;
  /** Partition count of the repartition topic (default: max of the upstream source topics). */
  numberOfPartitions?: number;
}

/** A store for `process()` processors, added with `builder.addStateStore`. */
export interface StoreDefinition<K, V> {
  name: string;
  keySerde?: Serde<K>;
  valueSerde?: Serde<V>;
  loggingEnabled?: boolean;
  persistent?: boolean;
}

/** Options of `KStream.process`. */
export interface ProcessOptions extends Named {
  /** Stores the processor may use (added with `builder.addStateStore`). */
  stores?: readonly string[];
  /** Serdes of what the processor forwards (default JSON), used by a later sink or repartition. */
  keySerde?: Serde<unknown>;
  valueSerde?: Serde<unknown>;
}
