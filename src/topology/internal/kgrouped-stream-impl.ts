import { jsonSerde } from '../../serdes/json-serde.ts';
import { longSerde } from '../../serdes/long-serde.ts';
import type { Serde } from '../../serdes/serde.ts';
import type { KGroupedStream } from '../kgrouped-stream.ts';
import type { KTable } from '../ktable.ts';
import type { Materialized, Named } from '../options.ts';
import { addAggregateStore } from './dsl-stores.ts';
import type { InternalBuilder } from './internal-builder.ts';
import { KTableImpl } from './ktable-impl.ts';
import { streamAggregateSupplier } from './processors/stream-aggregate.ts';
import { groupedParent } from './repartition.ts';
import { WindowedKStreamImpl, type GroupedSource } from './windowed-kstream-impl.ts';
import type { SessionWindowedKStream, TimeWindowedKStream } from '../windowed-kstream.ts';
import type { SessionWindows, SlidingWindows, TimeWindows } from '../windows.ts';

type S = Serde<unknown> | undefined;
type M = (Materialized<unknown, unknown> & Named) | undefined;

/** The implementation of {@link KGroupedStream}. */
export class KGroupedStreamImpl<K, V> implements KGroupedStream<K, V> {
  readonly #g: GroupedSource;

  constructor(
    b: InternalBuilder,
    parent: string,
    keySerde: S,
    valueSerde: S,
    repartitionRequired: boolean,
    groupedName: string | undefined,
  ) {
    this.#g = { b, parent, keySerde, valueSerde, repartitionRequired, groupedName };
  }

  count(materialized?: Materialized<K, number> & Named): KTable<K, number> {
    return this.#aggregate(
      'KSTREAM-AGGREGATE-',
      materialized as M,
      longSerde(),
      (old) => ((old as number | undefined) ?? 0) + 1,
    );
  }

  reduce(reducer: (aggregate: V, value: V) => V, materialized?: Materialized<K, V> & Named): KTable<K, V> {
    return this.#aggregate('KSTREAM-REDUCE-', materialized as M, this.#g.valueSerde, (old, _key, value) =>
      old === undefined ? value : reducer(old as V, value as V),
    );
  }

  aggregate<VA>(
    initializer: () => VA,
    aggregator: (key: K, value: V, aggregate: VA) => VA,
    materialized?: Materialized<K, VA> & Named,
  ): KTable<K, VA> {
    return this.#aggregate('KSTREAM-AGGREGATE-', materialized as M, undefined, (old, key, value) =>
      aggregator(key as K, value as V, old === undefined ? initializer() : (old as VA)),
    );
  }

  windowedBy(windows: TimeWindows | SlidingWindows): TimeWindowedKStream<K, V>;
  windowedBy(windows: SessionWindows): SessionWindowedKStream<K, V>;
  windowedBy(windows: TimeWindows | SlidingWindows | SessionWindows): WindowedKStreamImpl<K, V> {
    return new WindowedKStreamImpl<K, V>(this.#g, windows);
  }

  #aggregate<VA>(
    prefix: string,
    m: M,
    defaultValueSerde: S,
    step: (old: unknown, key: unknown, value: unknown) => unknown,
  ): KTable<K, VA> {
    const { b } = this.#g;
    // Store name first, then processor name: the order Kafka Streams burns its counter in.
    const storeName = m?.storeName ?? b.newStoreName(prefix);
    const name = m?.name ?? b.newName(prefix);
    const keySerde = (m?.keySerde as S) ?? this.#g.keySerde ?? jsonSerde();
    const valueSerde = (m?.valueSerde as S) ?? defaultValueSerde ?? jsonSerde();
    const parent = groupedParent(this.#g, storeName, keySerde, this.#g.valueSerde ?? jsonSerde());
    addAggregateStore(b, storeName, m, keySerde, valueSerde);
    b.addProcessor(name, [parent], streamAggregateSupplier(storeName, step), [storeName]);
    return new KTableImpl<K, VA>(b, name, storeName, keySerde, valueSerde);
  }
}
