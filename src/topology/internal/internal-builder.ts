import { MillraceError } from '../../errors/index.ts';
import type { ProcessorSupplier } from '../../processor/processor.ts';
import type { Serde } from '../../serdes/serde.ts';
import type { TimestampExtractor } from '../../time/timestamp-extractor.ts';
import type {
  LogicalGraph,
  LogicalNode,
  LogicalProcessor,
  LogicalRepartitionTopic,
  LogicalSink,
  LogicalStore,
} from './logical-graph.ts';

type AnySupplier = ProcessorSupplier<unknown, unknown, unknown, unknown>;

/** Records nodes and stores, generates Kafka Streams' names (`KSTREAM-SOURCE-0000000000`). */
export class InternalBuilder {
  readonly #nodes = new Map<string, LogicalNode>();
  readonly #stores = new Map<string, LogicalStore>();
  readonly #repartitionTopics = new Map<string, LogicalRepartitionTopic>();
  readonly #coPartitionGroups: string[][] = [];
  #index = 0;
  #built = false;

  /** `KSTREAM-MAP-0000000003`: one counter for processors and stores, as in Kafka Streams. */
  newName(prefix: string): string {
    return `${prefix}${String(this.#index++).padStart(10, '0')}`;
  }

  /** `<prefix>STATE-STORE-0000000004`. */
  newStoreName(prefix: string): string {
    return this.newName(`${prefix}STATE-STORE-`);
  }

  addSource(
    name: string,
    topics: readonly string[],
    keySerde: Serde<unknown>,
    valueSerde: Serde<unknown>,
    global = false,
    timestampExtractor?: TimestampExtractor,
  ): void {
    for (const node of this.#nodes.values()) {
      if (node.kind !== 'source') continue;
      const clash = topics.find((t) => node.topics.includes(t));
      if (clash !== undefined) {
        throw new MillraceError(
          'MR_TOPOLOGY_INVALID',
          `topic "${clash}" is read by two sources ("${node.name}" and "${name}"): read it once and share the stream`,
        );
      }
    }
    this.#add({
      kind: 'source',
      name,
      topics: [...topics],
      keySerde,
      valueSerde,
      global,
      ...(timestampExtractor === undefined ? {} : { timestampExtractor }),
    });
  }

  addProcessor(
    name: string,
    parents: readonly string[],
    supplier: AnySupplier,
    stores: readonly string[] = [],
  ): void {
    this.#add({ kind: 'processor', name, parents: [...parents], supplier, stores: [...stores] });
    for (const s of stores) this.connectStore(name, s);
  }

  addSink(
    name: string,
    parent: string,
    topic: string,
    keySerde: Serde<unknown>,
    valueSerde: Serde<unknown>,
  ): void {
    this.#add({ kind: 'sink', name, parents: [parent], topic, keySerde, valueSerde });
  }

  /** Adds `parent` as a parent of an existing processor or sink (merge). */
  addParent(name: string, parent: string): void {
    const node = this.#nodes.get(name) as LogicalProcessor | LogicalSink | undefined;
    if (node === undefined || node.kind === undefined) throw this.#unknown('node', name);
    node.parents.push(parent);
  }

  addStore(store: LogicalStore): void {
    this.#checkOpen();
    if (this.#stores.has(store.name)) {
      throw new MillraceError(
        'MR_TOPOLOGY_INVALID',
        `store "${store.name}" is defined twice: give each store a unique name`,
      );
    }
    this.#stores.set(store.name, store);
  }

  connectStore(processor: string, store: string): void {
    const node = this.#nodes.get(processor);
    if (node?.kind !== 'processor') throw this.#unknown('processor', processor);
    if (!node.stores.includes(store)) node.stores.push(store);
  }

  addRepartitionTopic(name: string, partitions: number | undefined, partitionsOf?: readonly string[]): void {
    if (this.#repartitionTopics.has(name)) {
      throw new MillraceError(
        'MR_TOPOLOGY_INVALID',
        `repartition topic "${name}" would be created twice: name the grouping or the repartition() differently`,
      );
    }
    this.#repartitionTopics.set(name, {
      name,
      partitions,
      ...(partitionsOf === undefined ? {} : { partitionsOf: [...partitionsOf] }),
    });
  }

  addCoPartitionGroup(sourceNodes: readonly string[]): void {
    this.#coPartitionGroups.push([...sourceNodes]);
  }

  /** The non-global source nodes upstream of `name` (for co-partitioning checks of joins). */
  upstreamSources(name: string): string[] {
    const out = new Set<string>();
    const seen = new Set<string>();
    const walk = (n: string): void => {
      if (seen.has(n)) return;
      seen.add(n);
      const node = this.#nodes.get(n);
      if (node === undefined) return;
      if (node.kind === 'source') {
        if (!node.global) out.add(n);
        return;
      }
      for (const p of node.parents) walk(p);
    };
    walk(name);
    return [...out];
  }

  hasStore(name: string): boolean {
    return this.#stores.has(name);
  }

  /** Freezes the graph, checking that every store a processor names exists. */
  build(): LogicalGraph {
    for (const node of this.#nodes.values()) {
      if (node.kind === 'source') continue;
      for (const p of node.parents) if (!this.#nodes.has(p)) throw this.#unknown('parent node', p);
      if (node.kind !== 'processor') continue;
      for (const s of node.stores) {
        if (!this.#stores.has(s)) {
          throw new MillraceError(
            'MR_TOPOLOGY_INVALID',
            `processor "${node.name}" uses store "${s}", which is not defined: add it with builder.addStateStore({ name: '${s}', ... })`,
          );
        }
      }
    }
    this.#built = true;
    return {
      nodes: this.#nodes,
      stores: this.#stores,
      repartitionTopics: this.#repartitionTopics,
      coPartitionGroups: this.#coPartitionGroups,
    };
  }

  #add(node: LogicalNode): void {
    this.#checkOpen();
    if (this.#nodes.has(node.name)) {
      throw new MillraceError(
        'MR_TOPOLOGY_INVALID',
        `two nodes are named "${node.name}": give each operation a unique name`,
      );
    }
    this.#nodes.set(node.name, node);
  }

  #checkOpen(): void {
    if (this.#built) {
      throw new MillraceError(
        'MR_TOPOLOGY_INVALID',
        'the builder was already built: make a new builder for another topology',
      );
    }
  }

  #unknown(what: string, name: string): MillraceError {
    return new MillraceError(
      'MR_TOPOLOGY_INVALID',
      `unknown ${what} "${name}": build the topology through the DSL`,
    );
  }
}
