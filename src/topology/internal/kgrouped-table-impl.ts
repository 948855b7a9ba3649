import { jsonSerde } from '../../serdes/json-serde.ts';
import { longSerde } from '../../serdes/long-serde.ts';
import type { Serde } from '../../serdes/serde.ts';
import type { KGroupedTable } from '../kgrouped-table.ts';
import type { KTable } from '../ktable.ts';
import type { Materialized, Named } from '../options.ts';
import { changeSerde } from './change-serde.ts';
import { addAggregateStore } from './dsl-stores.ts';
import type { InternalBuilder } from './internal-builder.ts';
import { KTableImpl } from './ktable-impl.ts';
import { tableAggregateSupplier } from './processors/table-processors.ts';

type S = Serde<unknown> | undefined;
type M = (Materialized<unknown, unknown> & Named) | undefined;
type Fn = (agg: unknown, value: unknown, key: unknown) => unknown;

/** The implementation of {@link KGroupedTable}: always repartitions, as in Kafka Streams. */
export class KGroupedTableImpl<K, V> implements KGroupedTable<K, V> {
  readonly #b: InternalBuilder;
  readonly #parent: string;
  readonly #keySerde: S;
  readonly #valueSerde: S;
  readonly #groupedName: string | undefined;

  constructor(
    b: InternalBuilder,
    parent: string,
    keySerde: S,
    valueSerde: S,
    groupedName: string | undefined,
  ) {
    this.#b = b;
    this.#parent = parent;
    this.#keySerde = keySerde;
    this.#valueSerde = valueSerde;
    this.#groupedName = groupedName;
  }

  count(materialized?: Materialized<K, number> & Named): KTable<K, number> {
    return this.#aggregate(
      'KTABLE-AGGREGATE-',
      materialized as M,
      longSerde(),
      () => 0,
      (agg) => (agg as number) + 1,
      (agg) => (agg as number) - 1,
    );
  }

  reduce(
    adder: (aggregate: V, value: V) => V,
    subtractor: (aggregate: V, value: V) => V,
    materialized?: Materialized<K, V> & Named,
  ): KTable<K, V> {
    return this.#aggregate(
      'KTABLE-REDUCE-',
      materialized as M,
      this.#valueSerde,
      undefined,
      adder as Fn,
      subtractor as Fn,
    );
  }

  aggregate<VA>(
    initializer: () => VA,
    adder: (key: K, value: V, aggregate: VA) => VA,
    subtractor: (key: K, value: V, aggregate: VA) => VA,
    materialized?: Materialized<K, VA> & Named,
  ): KTable<K, VA> {
    return this.#aggregate(
      'KTABLE-AGGREGATE-',
      materialized as M,
      undefined,
      initializer,
      (agg, value, key) => adder(key as K, value as V, agg as VA),
      (agg, value, key) => subtractor(key as K, value as V, agg as VA),
    );
  }

  #aggregate<VA>(
    prefix: string,
    m: M,
    defaultValueSerde: S,
    init: (() => unknown) | undefined,
    add: Fn,
    subtract: Fn,
  ): KTable<K, VA> {
    const b = this.#b;
    const storeName = m?.storeName ?? b.newStoreName(prefix);
    const named = m?.name;
    const sinkName = named !== undefined ? `${named}-sink` : b.newName('KSTREAM-SINK-');
    const sourceName = named !== undefined ? `${named}-source` : b.newName('KSTREAM-SOURCE-');
    const name = named ?? b.newName(prefix);
    const topic = `${this.#groupedName ?? storeName}-repartition`;
    const keySerde = (m?.keySerde as S) ?? this.#keySerde ?? jsonSerde();
    const valueSerde = (m?.valueSerde as S) ?? defaultValueSerde ?? jsonSerde();
    const wire = changeSerde(this.#valueSerde ?? jsonSerde());
    b.addRepartitionTopic(topic, undefined);
    b.addSink(sinkName, this.#parent, topic, keySerde, wire as Serde<unknown>);
    b.addSource(sourceName, [topic], keySerde, wire as Serde<unknown>);
    addAggregateStore(b, storeName, m, keySerde, valueSerde);
    b.addProcessor(name, [sourceName], tableAggregateSupplier(storeName, init, add, subtract), [storeName]);
    return new KTableImpl<K, VA>(b, name, storeName, keySerde, valueSerde);
  }
}
