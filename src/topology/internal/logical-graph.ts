import type { ProcessorSupplier } from '../../processor/processor.ts';
import type { WindowedStoreOptions } from '../../../state/window-store.ts';
import type { Serde } from '../../serdes/serde.ts';
import type { TimestampExtractor } from '../../time/timestamp-extractor.ts';

/**
 * The logical graph a builder records (Kafka Streams' `InternalTopologyBuilder` state). Topic names are as
 * the user wrote them; internal (repartition) topics are unprefixed until the topology is compiled with an
 * application id.
 */

export interface LogicalSource {
  readonly kind: 'source';
  readonly name: string;
  readonly topics: readonly string[];
  readonly keySerde: Serde<unknown>;
  readonly valueSerde: Serde<unknown>;
  /** Reads a global store's topic. */
  readonly global: boolean;
  /** Event time of its records; undefined: the record timestamp. */
  readonly timestampExtractor?: TimestampExtractor;
}

export interface LogicalProcessor {
  readonly kind: 'processor';
  readonly name: string;
  readonly parents: string[];
  readonly supplier: ProcessorSupplier<unknown, unknown, unknown, unknown>;
  readonly stores: string[];
}

export interface LogicalSink {
  readonly kind: 'sink';
  readonly name: string;
  readonly parents: string[];
  readonly topic: string;
  readonly keySerde: Serde<unknown>;
  readonly valueSerde: Serde<unknown>;
}

export type LogicalNode = LogicalSource | LogicalProcessor | LogicalSink;

export interface LogicalStore {
  readonly name: string;
  readonly keySerde: Serde<unknown>;
  readonly valueSerde: Serde<unknown>;
  readonly logged: boolean;
  /** Writes go through the task's record cache (DSL aggregations; see StoreSpec.cached). */
  readonly cached?: boolean;
  readonly persistent: boolean;
  /** For a global store: the topic it is loaded from (and restored from). */
  readonly globalTopic: string | undefined;
  /** A window or session store (windowed aggregations, stream-stream joins). */
  readonly windowed?: WindowedStoreOptions;
}

/** A repartition topic (unprefixed name) and its partition count if the user fixed one. */
export interface LogicalRepartitionTopic {
  readonly name: string;
  readonly partitions: number | undefined;
  /**
   * Source nodes whose topics this topic must be co-partitioned with (foreign-key join topics): it gets
   * their partition count instead of its writers'.
   */
  readonly partitionsOf?: readonly string[];
}

/** Everything a built topology is made of; frozen once built. */
export interface LogicalGraph {
  readonly nodes: ReadonlyMap<string, LogicalNode>;
  readonly stores: ReadonlyMap<string, LogicalStore>;
  readonly repartitionTopics: ReadonlyMap<string, LogicalRepartitionTopic>;
  /** Source node names whose topics must be co-partitioned (joins). */
  readonly coPartitionGroups: readonly (readonly string[])[];
}
