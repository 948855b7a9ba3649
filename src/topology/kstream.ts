import type { KeyValue } from '../../state/types.ts';
import type { ProcessorSupplier } from '../processor/processor.ts';
import type { BranchedStream } from './branched-stream.ts';
import type { KGroupedStream } from './kgrouped-stream.ts';
import type { Grouped, Named, ProcessOptions, Produced, Repartitioned } from './options.ts';

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
}
