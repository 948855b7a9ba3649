import type { KeyValue } from '../../state/types.ts';
import type { ProcessorSupplier } from '../processor/processor.ts';
import type { BranchedStream } from './branched-stream.ts';
import type { KGroupedStream } from './kgrouped-stream.ts';
import type { Joined } from './joined.ts';
import type { GlobalKTable, KTable } from './ktable.ts';
import type { Grouped, Named, ProcessOptions, Produced, Repartitioned } from './options.ts';
import type { JoinWindows } from './windows.ts';

/**
 * A record stream (Kafka Streams' `KStream`). Key-changing operations (`map`, `flatMap`, `selectKey`,
 * `groupBy`, `process`) mark the stream so that a following aggregation reads it through a repartition
 * topic `<application.id>-<name>-repartition`, which splits the topology into sub-topologies.
 *
 * @example
 * ```ts
 * builder.stream<string, string>('lines', { keySerde: stringSerde(), valueSerde: stringSerde() })
 *   .flatMapValues((line) => line.toLowerCase().split(/\W+/))
 *   .groupBy((_, word) => word)
 *   .count({ storeName: 'counts' })
 *   .toStream()
 *   .to('word-counts', { valueSerde: longSerde() });
 * ```
 */
export interface KStream<K, V> {
  filter(predicate: (key: K, value: V) => boolean, named?: Named): KStream<K, V>;
  filterNot(predicate: (key: K, value: V) => boolean, named?: Named): KStream<K, V>;
  map<KR, VR>(mapper: (key: K, value: V) => KeyValue<KR, VR>, named?: Named): KStream<KR, VR>;
  mapValues<VR>(mapper: (value: V, key: K) => VR, named?: Named): KStream<K, VR>;
  flatMap<KR, VR>(mapper: (key: K, value: V) => Iterable<KeyValue<KR, VR>>, named?: Named): KStream<KR, VR>;
  flatMapValues<VR>(mapper: (value: V, key: K) => Iterable<VR>, named?: Named): KStream<K, VR>;
  selectKey<KR>(selector: (key: K, value: V) => KR, named?: Named): KStream<KR, V>;
  peek(action: (key: K, value: V) => void, named?: Named): KStream<K, V>;
  /** Splits the stream by predicates (first match wins); see {@link BranchedStream}. */
  split(named?: Named): BranchedStream<K, V>;
  merge(other: KStream<K, V>, named?: Named): KStream<K, V>;
  to(topic: string, produced?: Produced<K, V>): void;
  /** A custom processor; `KOut`/`VOut` are what it forwards (its key may change). */
  process<KOut, VOut>(
    supplier: ProcessorSupplier<K, V, KOut, VOut>,
    options?: ProcessOptions,
  ): KStream<KOut, VOut>;
  groupByKey(grouped?: Grouped<K, V>): KGroupedStream<K, V>;
  groupBy<KR>(selector: (key: K, value: V) => KR, grouped?: Grouped<KR, V>): KGroupedStream<KR, V>;
  /** Always writes through a repartition topic (`<app>-<name>-repartition`). */
  repartition(repartitioned?: Repartitioned<K, V>): KStream<K, V>;
  /**
   * Joins: with a KTable (lookup of the table's current value; a re-keyed stream is repartitioned first),
   * with a GlobalKTable (`keySelector` maps each record to the table key), or with another KStream within
   * {@link JoinWindows}. Joined topics are listed as co-partitioned.
   */
  join<VO, VR>(
    table: KTable<K, VO>,
    joiner: (value: V, other: VO) => VR,
    joined?: Joined<K, V, VO>,
  ): KStream<K, VR>;
  join<GK, GV, VR>(
    table: GlobalKTable<GK, GV>,
    keySelector: (key: K, value: V) => GK,
    joiner: (value: V, other: GV) => VR,
    named?: Named,
  ): KStream<K, VR>;
  join<VO, VR>(
    other: KStream<K, VO>,
    joiner: (value: V, other: VO) => VR,
    windows: JoinWindows,
    joined?: Joined<K, V, VO>,
  ): KStream<K, VR>;
  leftJoin<VO, VR>(
    table: KTable<K, VO>,
    joiner: (value: V, other: VO | null) => VR,
    joined?: Joined<K, V, VO>,
  ): KStream<K, VR>;
  leftJoin<GK, GV, VR>(
    table: GlobalKTable<GK, GV>,
    keySelector: (key: K, value: V) => GK,
    joiner: (value: V, other: GV | null) => VR,
    named?: Named,
  ): KStream<K, VR>;
  leftJoin<VO, VR>(
    other: KStream<K, VO>,
    joiner: (value: V, other: VO | null) => VR,
    windows: JoinWindows,
    joined?: Joined<K, V, VO>,
  ): KStream<K, VR>;
  /** KStream-KStream outer join within {@link JoinWindows}. */
  outerJoin<VO, VR>(
    other: KStream<K, VO>,
    joiner: (value: V | null, other: VO | null) => VR,
    windows: JoinWindows,
    joined?: Joined<K, V, VO>,
  ): KStream<K, VR>;
}
