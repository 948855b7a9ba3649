import type { Serde } from '../serdes/serde.ts';
import type { Named } from './options.ts';

/**
 * Options of joins (Kafka Streams' `Joined`/`StreamJoined`): serdes of the two sides (used when a side must
 * be repartitioned or buffered) and a name for the join's processors, stores and repartition topics.
 *
 * @example
 * ```ts
 * clicks.join(views, (c, v) => ({ c, v }), JoinWindows.ofTimeDifferenceAndGrace(10_000, 5_000), { name: 'click-view' });
 * ```
 */
export interface Joined<K, V, VO> extends Named {
  keySerde?: Serde<K>;
  valueSerde?: Serde<V>;
  otherValueSerde?: Serde<VO>;
}
