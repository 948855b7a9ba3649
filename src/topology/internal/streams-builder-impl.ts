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
    const b = this.#b;
    // Kafka Streams' order: store name, source name, table-source name.
    const storeName = materialized?.storeName ?? b.newStoreName(`${topic}-`);
    const sourceName = consumed?.name ?? b.newName('KSTREAM-SOURCE-');
    const tableName =
      consumed?.name !== undefined ? `${consumed.name}-table-source` : b.newName('KTABLE-SOURCE-');
    const keySerde =
      (materialized?.keySerde as S | undefined) ?? (consumed?.keySerde as S | undefined) ?? jsonSerde();
    const valueSerde =
      (materialized?.valueSerde as S | undefined) ?? (consumed?.valueSerde as S | undefined) ?? jsonSerde();
    b.addSource(sourceName, [topic], keySerde, valueSerde, false, consumed?.timestampExtractor);
    b.addStore({
      name: storeName,
      keySerde,
      valueSerde,
      logged: materialized?.loggingEnabled ?? true,
      persistent: materialized?.persistent ?? true,
      globalTopic: undefined,
    });
    b.addProcessor(tableName, [sourceName], tableSourceSupplier(storeName), [storeName]);
    return new KTableImpl<K, V>(b, tableName, storeName, keySerde, valueSerde);
  }

  globalTable<K, V>(
    topic: string,
    consumed?: Consumed<K, V>,
    materialized?: Materialized<K, V>,
  ): GlobalKTable<K, V> {
    const b = this.#b;
    const storeName = materialized?.storeName ?? b.newStoreName(`${topic}-`);
    const sourceName = consumed?.name ?? b.newName('KSTREAM-SOURCE-');
    const tableName =
      consumed?.name !== undefined ? `${consumed.name}-table-source` : b.newName('KTABLE-SOURCE-');
    const keySerde =
      (materialized?.keySerde as S | undefined) ?? (consumed?.keySerde as S | undefined) ?? jsonSerde();
    const valueSerde =
      (materialized?.valueSerde as S | undefined) ?? (consumed?.valueSerde as S | undefined) ?? jsonSerde();
    b.addSource(sourceName, [topic], keySerde, valueSerde, true, consumed?.timestampExtractor);
    // A global store is restored from its source topic: it has no changelog of its own.
    b.addStore({
      name: storeName,
      keySerde,
      valueSerde,
      logged: false,
      persistent: materialized?.persistent ?? true,
      globalTopic: topic,
    });
    b.addProcessor(tableName, [sourceName], tableSourceSupplier(storeName), [storeName]);
    return { queryableStoreName: storeName };
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
}
