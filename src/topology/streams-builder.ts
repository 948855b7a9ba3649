import { InternalBuilder } from './internal/internal-builder.ts';
import { StreamsBuilderImpl } from './internal/streams-builder-impl.ts';
import type { GlobalKTable, KTable } from './ktable.ts';
import type { KStream } from './kstream.ts';
import type { Consumed, Materialized, StoreDefinition } from './options.ts';
import type { Topology } from './topology.ts';

/**
 * Builds a topology with the DSL (Kafka Streams' `StreamsBuilder`). Generated names follow Kafka Streams'
 * (`KSTREAM-SOURCE-0000000000`, …), so the same program describes the same way.
 *
 * @example
 * ```ts
 * const builder = createStreamsBuilder();
 * builder.stream<string, string>('in', { keySerde: stringSerde(), valueSerde: stringSerde() })
 *   .mapValues((v) => v.toUpperCase())
 *   .to('out');
 * const topology = builder.build();
 * ```
 */
export interface StreamsBuilder {
  stream<K, V>(topics: string | readonly string[], consumed?: Consumed<K, V>): KStream<K, V>;
  table<K, V>(topic: string, consumed?: Consumed<K, V>, materialized?: Materialized<K, V>): KTable<K, V>;
  globalTable<K, V>(
    topic: string,
    consumed?: Consumed<K, V>,
    materialized?: Materialized<K, V>,
  ): GlobalKTable<K, V>;
  /** Adds a key-value store that `process()` processors can name in `options.stores`. */
  addStateStore<K, V>(store: StoreDefinition<K, V>): this;
  build(): Topology;
}

/** Makes a new, empty {@link StreamsBuilder}. */
export function createStreamsBuilder(): StreamsBuilder {
  return new StreamsBuilderImpl(new InternalBuilder());
}
