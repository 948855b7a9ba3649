import type { StoreSpec, SubtopologySpec } from '../processor/subtopology-spec.ts';

/** One node as `describe()` shows it. */
export interface NodeDescription {
  readonly type: 'source' | 'processor' | 'sink';
  readonly name: string;
  /** Source: the topics it reads. */
  readonly topics?: readonly string[];
  /** Sink: the topic it writes. */
  readonly topic?: string;
  /** Processor: the stores it uses. */
  readonly stores?: readonly string[];
  readonly successors: readonly string[];
  readonly predecessors: readonly string[];
}

/** A sub-topology as `describe()` shows it. */
export interface SubtopologyDescription {
  readonly id: number;
  /** Nodes in Kafka Streams' order (largest sub-tree first, then by name). */
  readonly nodes: readonly NodeDescription[];
}

/** A global store as `describe()` shows it. */
export interface GlobalStoreDescription {
  readonly id: number;
  readonly source: NodeDescription;
  readonly processor: NodeDescription;
  readonly store: string;
}

/**
 * What `Topology.describe()` returns (Kafka Streams' `TopologyDescription`). Internal topics appear
 * unprefixed, as in Kafka Streams (`counts-repartition`, not `app-counts-repartition`).
 *
 * @example
 * ```ts
 * console.log(topology.describe().toString());
 * ```
 */
export interface TopologyDescription {
  readonly subtopologies: readonly SubtopologyDescription[];
  readonly globalStores: readonly GlobalStoreDescription[];
  /** The text of Kafka Streams' `TopologyDescription#toString`. */
  toString(): string;
  /** A plain JSON object (what `JSON.stringify` writes). */
  toJSON(): { subtopologies: SubtopologyDescription[]; globalStores: GlobalStoreDescription[] };
  /** A Mermaid flowchart: one subgraph per sub-topology, topics as edges between them. */
  toMermaid(): string;
}

/** A topic the application creates for itself. */
export interface InternalTopicSpec {
  readonly name: string;
  readonly kind: 'repartition' | 'changelog';
  readonly partitions: number;
  /** Topic configs to create it with (`cleanup.policy`, …). */
  readonly config: Readonly<Record<string, string>>;
}

/** What {@link Topology.compile} needs. */
export interface CompileOptions {
  /** `application.id`: prefixes internal topics. */
  readonly applicationId: string;
  /**
   * The partition count of an external topic (from the cluster's metadata); `undefined` if unknown, which
   * fails compilation with `MR_TOPOLOGY_UNKNOWN_TOPIC`. Omit it to treat every topic as having 1 partition
   * (the TopologyTestDriver does this).
   */
  readonly partitionsOf?: (topic: string) => number | undefined;
}

/**
 * A topology bound to an application id and partition counts: what the runtime and the test driver run.
 *
 * @example
 * ```ts
 * const compiled = topology.compile({ applicationId: 'wordcount', partitionsOf: (t) => meta.get(t) });
 * for (const t of compiled.internalTopics) await admin.createTopic(t.name, t.partitions, t.config);
 * ```
 */
export interface CompiledTopology {
  readonly applicationId: string;
  /** The sub-topologies that make tasks (ids from 0, global ones excluded). */
  readonly subtopologies: readonly SubtopologySpec[];
  /** One sub-topology per global store; a global task runs it over all partitions of its topic. */
  readonly globalSubtopologies: readonly SubtopologySpec[];
  readonly globalStores: readonly StoreSpec[];
  /** Repartition and changelog topics to create, with partition counts. */
  readonly internalTopics: readonly InternalTopicSpec[];
  /** External topics read by sub-topologies (not global stores). */
  readonly sourceTopics: readonly string[];
  /** External topics read by global stores. */
  readonly globalTopics: readonly string[];
  /** External topics written by sinks. */
  readonly sinkTopics: readonly string[];
  /** Topics that must have equal partition counts (joined inputs); the runtime checks external ones. */
  readonly coPartitionGroups: readonly (readonly string[])[];
  /** The sub-topology (global included) that reads `topic`. */
  subtopologyOf(topic: string): SubtopologySpec | undefined;
}

/**
 * A built topology (Kafka Streams' `Topology`): made by `StreamsBuilder.build()` or the YAML spec compiler.
 *
 * @example
 * ```ts
 * const topology = builder.build();
 * console.log(topology.describe().toString());
 * ```
 */
export interface Topology {
  describe(): TopologyDescription;
  compile(options: CompileOptions): CompiledTopology;
}
