import { jsonSerde } from '../../serdes/json-serde.ts';
import type { Serde } from '../../serdes/serde.ts';
import type { GlobalKTable, KTable } from '../ktable.ts';
import type { KStream } from '../kstream.ts';
import type { Consumed, Materialized, StoreDefinition } from '../options.ts';
import type { StreamsBuilder } from '../streams-builder.ts';
import type { Topology } from '../topology.ts';
import type { InternalBuilder } from './internal-builder.ts';
import { KStreamImpl } from './kstream-impl.ts';
import { KTableImpl } from './ktable-impl.ts';
import { tableSourceSupplier } from './processors/table-processors.ts';
import { TopologyImpl } from './topology-impl.ts';

type S = Serde<unknown>;

/** The implementation of {@link StreamsBuilder}. */
export class StreamsBuilderImpl implements StreamsBuilder {
  readonly #b: InternalBuilder;

  constructor(b: InternalBuilder) {
    this.#b = b;
  }

  stream<K, V>(topics: string | readonly string[], consumed?: Consumed<K, V>): KStream<K, V> {
    const name = consumed?.name ?? this.#b.newName('KSTREAM-SOURCE-');
    const keySerde = (consumed?.keySerde as S | undefined) ?? jsonSerde();
    const valueSerde = (consumed?.valueSerde as S | undefined) ?? jsonSerde();
    this.#b.addSource(
      name,
      typeof topics === 'string' ? [topics] : topics,
      keySerde,
      valueSerde,
      false,
      consumed?.timestampExtractor,
    );
    return new KStreamImpl<K, V>(this.#b, name, keySerde, valueSerde, false);
  }

  table<K, V>(topic: string, consumed?: Consumed<K, V>, materialized?: Materialized<K, V>): KTable<K, V> {
    const t = this.#tableSource(topic, consumed, materialized, false);
    return new KTableImpl<K, V>(this.#b, t.node, t.store, t.keySerde, t.valueSerde);
  }

  globalTable<K, V>(
    topic: string,
    consumed?: Consumed<K, V>,
    materialized?: Materialized<K, V>,
  ): GlobalKTable<K, V> {
    return { queryableStoreName: this.#tableSource(topic, consumed, materialized, true).store };
  }

  addStateStore<K, V>(store: StoreDefinition<K, V>): this {
    this.#b.addStore({
      name: store.name,
      keySerde: (store.keySerde as S | undefined) ?? jsonSerde(),
      valueSerde: (store.valueSerde as S | undefined) ?? jsonSerde(),
      logged: store.loggingEnabled ?? true,
      persistent: store.persistent ?? true,
      globalTopic: undefined,
    });
    return this;
  }

  build(): Topology {
    return new TopologyImpl(this.#b.build());
  }

  /**
   * Source → table-source node → store, for `table` and `globalTable`. Kafka Streams' order of names: store,
   * source, table source. A global store is restored from its source topic: it has no changelog of its own.
   */
  #tableSource(
    topic: string,
    consumed: Consumed<unknown, unknown> | undefined,
    materialized: Materialized<unknown, unknown> | undefined,
    global: boolean,
  ): { node: string; store: string; keySerde: S; valueSerde: S } {
    const b = this.#b;
    const store = materialized?.storeName ?? b.newStoreName(`${topic}-`);
    const sourceName = consumed?.name ?? b.newName('KSTREAM-SOURCE-');
    const node = consumed?.name !== undefined ? `${consumed.name}-table-source` : b.newName('KTABLE-SOURCE-');
    const keySerde =
      (materialized?.keySerde as S | undefined) ?? (consumed?.keySerde as S | undefined) ?? jsonSerde();
    const valueSerde =
      (materialized?.valueSerde as S | undefined) ?? (consumed?.valueSerde as S | undefined) ?? jsonSerde();
    b.addSource(sourceName, [topic], keySerde, valueSerde, global, consumed?.timestampExtractor);
    b.addStore({
      name: store,
      keySerde,
      valueSerde,
      logged: global ? false : (materialized?.loggingEnabled ?? true),
      persistent: materialized?.persistent ?? true,
      globalTopic: global ? topic : undefined,
    });
    b.addProcessor(node, [sourceName], tableSourceSupplier(store), [store]);
    return { node, store, keySerde, valueSerde };
  }
}
