import type { WindowedStoreOptions } from '../../state/window-store.ts';
import type { Serde } from '../serdes/serde.ts';
import type { TimestampExtractor } from '../time/timestamp-extractor.ts';
import type { ProcessorSupplier } from './processor.ts';

/**
 * The executable form of one sub-topology, as a compiled `Topology` hands it to tasks: every topic name is
 * final (internal topics carry the `<application.id>-` prefix), every node knows its children in order.
 */

/**
 * A state store a sub-topology uses. `type` says which store interface processors get: `key-value`
 * (`KeyValueStore`), `window` (`WindowStore`) or `session` (`SessionStore`); a window or session store
 * also carries its layout in `windowed` (its changelog and restore are a key-value store's, holding the
 * segmented binary keys).
 */
export interface StoreSpec {
  readonly name: string;
  readonly type: 'key-value' | 'window' | 'session';
  /** Retention and segmenting of a `window` or `session` store; undefined for `key-value`. */
  readonly windowed?: WindowedStoreOptions;
  readonly keySerde: Serde<unknown>;
  readonly valueSerde: Serde<unknown>;
  /** Whether writes are logged to `changelogTopic`. */
  readonly logged: boolean;
  /**
   * Whether writes go through the task's record cache (`statestore.cache.max.bytes`): DSL aggregations and
   * materialized tables, unless materialized with `cachingEnabled: false`. Session stores never cache.
   */
  readonly cached?: boolean;
  /**
   * `<application.id>-<store>-changelog` when logged. For a global store, its source topic (a global
   * store restores from the topic it reads, as in Kafka Streams). Undefined when not logged.
   */
  readonly changelogTopic: string | undefined;
  readonly persistent: boolean;
  /** A global store: one copy per instance with every partition of its topic, readable from every task. */
  readonly global: boolean;
}

/** Reads records of its topics into the sub-topology. */
export interface SourceNodeSpec {
  readonly kind: 'source';
  readonly name: string;
  readonly topics: readonly string[];
  readonly keySerde: Serde<unknown>;
  readonly valueSerde: Serde<unknown>;
  /**
   * Where the event time of its records comes from; undefined: the Kafka record timestamp. Applied after
   * deserialization, before the task's stream time advances.
   */
  readonly timestampExtractor?: TimestampExtractor;
  readonly children: readonly string[];
}

/** Runs a processor made by `supplier` (one instance per task). */
export interface ProcessorNodeSpec {
  readonly kind: 'processor';
  readonly name: string;
  readonly supplier: ProcessorSupplier<unknown, unknown, unknown, unknown>;
  /** Names of the stores the processor may use. */
  readonly stores: readonly string[];
  readonly children: readonly string[];
}

/** Writes records to a topic through the task's record collector. */
export interface SinkNodeSpec {
  readonly kind: 'sink';
  readonly name: string;
  readonly topic: string;
  readonly keySerde: Serde<unknown>;
  readonly valueSerde: Serde<unknown>;
}

export type NodeSpec = SourceNodeSpec | ProcessorNodeSpec | SinkNodeSpec;

/**
 * One sub-topology: the unit a task runs for one partition.
 *
 * @example
 * ```ts
 * const task = createTask({ applicationId: 'app', subtopology: compiled.subtopologies[0]!, partition: 0, collector, storeFactory });
 * ```
 */
export interface SubtopologySpec {
  /** Its id; `-1` for the global sub-topology of a global store. */
  readonly id: number;
  /** Every topic its sources read (final names). */
  readonly sourceTopics: readonly string[];
  /** Nodes, sources first, each listed after its parents. */
  readonly nodes: readonly NodeSpec[];
  /** The stores its processors use (global stores excluded). */
  readonly stores: readonly StoreSpec[];
  /** How many tasks it has: the max partition count of its source topics. */
  readonly partitions: number;
}
