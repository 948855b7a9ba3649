import { MillraceError } from '../../errors/index.ts';
import type { NodeSpec, StoreSpec, SubtopologySpec } from '../../processor/subtopology-spec.ts';
import type { CompileOptions, CompiledTopology, InternalTopicSpec } from '../topology.ts';
import type { LogicalGraph } from './logical-graph.ts';
import type { NodeGroup } from './node-groups.ts';

const CHANGELOG_CONFIG = { 'cleanup.policy': 'compact' };
const REPARTITION_CONFIG = { 'cleanup.policy': 'delete', 'retention.ms': '-1' };

/**
 * Binds a logical graph to an application id and partition counts (Kafka Streams' internal topic manager
 * rules): internal topics get the `<application.id>-` prefix; a repartition topic has its fixed count or
 * the max count of the source topics of the sub-topologies writing it; a sub-topology has the max count of
 * its source topics, and each of its logged stores a changelog with that count.
 */
export function compileGraph(
  graph: LogicalGraph,
  groups: readonly NodeGroup[],
  options: CompileOptions,
): CompiledTopology {
  const app = options.applicationId;
  const topicName = (t: string): string => (graph.repartitionTopics.has(t) ? `${app}-${t}` : t);
  const external = (t: string): number => {
    if (options.partitionsOf === undefined) return 1;
    const n = options.partitionsOf(t);
    if (n === undefined) {
      throw new MillraceError(
        'MR_TOPOLOGY_UNKNOWN_TOPIC',
        `topic "${t}" does not exist (or its metadata is unknown): create it before starting the application`,
      );
    }
    return n;
  };
  const sourceTopicsOf = (g: NodeGroup): string[] =>
    g.nodes.flatMap((n) => {
      const node = graph.nodes.get(n);
      return node?.kind === 'source' ? node.topics : [];
    });
  const sinkTopicsOf = (g: NodeGroup): string[] =>
    g.nodes.flatMap((n) => {
      const node = graph.nodes.get(n);
      return node?.kind === 'sink' ? [node.topic] : [];
    });

  // Repartition partition counts: iterate to a fixpoint, since one may be fed by another.
  const repartitionCounts = new Map<string, number>();
  for (const r of graph.repartitionTopics.values())
    if (r.partitions !== undefined) repartitionCounts.set(r.name, r.partitions);
  const countOf = (t: string): number | undefined =>
    graph.repartitionTopics.has(t) ? repartitionCounts.get(t) : external(t);
  const topicsOfSources = (names: readonly string[]): string[] =>
    names.flatMap((n) => {
      const node = graph.nodes.get(n);
      return node?.kind === 'source' ? node.topics : [];
    });
  for (let changed = true; changed;) {
    changed = false;
    for (const r of graph.repartitionTopics.values()) {
      if (repartitionCounts.has(r.name)) continue;
      // Co-partitioned with given sources (foreign-key joins), else as many partitions as its writers read.
      const counts =
        r.partitionsOf === undefined
          ? groups
              .filter((g) => sinkTopicsOf(g).includes(r.name))
              .flatMap(sourceTopicsOf)
              .map(countOf)
          : topicsOfSources(r.partitionsOf).map(countOf);
      if (counts.length > 0 && counts.every((c) => c !== undefined)) {
        repartitionCounts.set(r.name, Math.max(...(counts as number[])));
        changed = true;
      }
    }
  }
  for (const r of graph.repartitionTopics.keys()) {
    if (!repartitionCounts.has(r)) {
      throw new MillraceError(
        'MR_TOPOLOGY_INVALID',
        `the partition count of repartition topic "${r}" cannot be derived (no writer, or a cycle): set numberOfPartitions on it`,
      );
    }
  }

  const storeSpec = (name: string, partitionsTopic: string | undefined): StoreSpec => {
    const s = graph.stores.get(name);
    if (s === undefined)
      throw new MillraceError('MR_TOPOLOGY_INVALID', `unknown store "${name}": define it before use`);
    const spec: StoreSpec = {
      name: s.name,
      type: s.windowed?.kind ?? 'key-value',
      keySerde: s.keySerde,
      valueSerde: s.valueSerde,
      logged: s.logged,
      ...(s.cached === true ? { cached: true } : {}),
      changelogTopic: s.globalTopic ?? (s.logged ? `${app}-${s.name}-changelog` : partitionsTopic),
      persistent: s.persistent,
      global: s.globalTopic !== undefined,
      ...(s.windowed === undefined ? {} : { windowed: s.windowed }),
    };
    return spec;
  };
  // Window stores expire old windows, so their changelog deletes too (Kafka Streams: retention + 1 day).
  const changelogConfig = (store: string): Record<string, string> => {
    const w = graph.stores.get(store)?.windowed;
    if (w === undefined) return CHANGELOG_CONFIG;
    return { 'cleanup.policy': 'compact,delete', 'retention.ms': String(w.retentionMs + 86_400_000) };
  };

  const subtopologies: SubtopologySpec[] = [];
  const globalSubtopologies: SubtopologySpec[] = [];
  const globalStores: StoreSpec[] = [];
  const internalTopics: InternalTopicSpec[] = [];
  for (const g of groups) {
    const sourceTopics = sourceTopicsOf(g);
    const partitions = Math.max(1, ...sourceTopics.map((t) => countOf(t) ?? 1));
    const storeNames = [
      ...new Set(
        g.nodes.flatMap((n) => {
          const node = graph.nodes.get(n);
          return node?.kind === 'processor' ? node.stores : [];
        }),
      ),
    ];
    const stores = storeNames.map((s) => storeSpec(s, undefined));
    const children = (name: string): string[] =>
      [...graph.nodes.values()]
        .filter((n) => n.kind !== 'source' && n.parents.includes(name))
        .map((n) => n.name);
    const nodes: NodeSpec[] = g.nodes.map((name) => {
      const node = graph.nodes.get(name);
      if (node === undefined) throw new MillraceError('MR_TOPOLOGY_INVALID', `unknown node "${name}"`);
      if (node.kind === 'source') {
        return {
          kind: 'source',
          name,
          topics: node.topics.map(topicName),
          keySerde: node.keySerde,
          valueSerde: node.valueSerde,
          ...(node.timestampExtractor === undefined ? {} : { timestampExtractor: node.timestampExtractor }),
          children: children(name),
        };
      }
      if (node.kind === 'sink') {
        return {
          kind: 'sink',
          name,
          topic: topicName(node.topic),
          keySerde: node.keySerde,
          valueSerde: node.valueSerde,
        };
      }
      return {
        kind: 'processor',
        name,
        supplier: node.supplier,
        stores: node.stores,
        children: children(name),
      };
    });
    const spec: SubtopologySpec = {
      id: g.id,
      sourceTopics: sourceTopics.map(topicName),
      nodes,
      stores: g.global ? stores : stores.filter((s) => !s.global),
      partitions,
    };
    if (g.global) {
      globalSubtopologies.push(spec);
      globalStores.push(...stores);
      continue;
    }
    subtopologies.push(spec);
    for (const s of spec.stores) {
      if (s.logged && s.changelogTopic !== undefined) {
        internalTopics.push({
          name: s.changelogTopic,
          kind: 'changelog',
          partitions,
          config: changelogConfig(s.name),
        });
      }
    }
  }
  for (const [name, partitions] of repartitionCounts) {
    internalTopics.push({
      name: topicName(name),
      kind: 'repartition',
      partitions,
      config: REPARTITION_CONFIG,
    });
  }
  internalTopics.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const allSources = [...graph.nodes.values()].flatMap((n) => (n.kind === 'source' ? [n] : []));
  const sourceTopics = allSources
    .filter((n) => !n.global)
    .flatMap((n) => n.topics)
    .filter((t) => !graph.repartitionTopics.has(t));
  const globalTopics = allSources.filter((n) => n.global).flatMap((n) => n.topics);
  const sinkTopics = [
    ...new Set(
      [...graph.nodes.values()].flatMap((n) =>
        n.kind === 'sink' && !graph.repartitionTopics.has(n.topic) ? [n.topic] : [],
      ),
    ),
  ];
  const coPartitionGroups = graph.coPartitionGroups.map((group) =>
    group.flatMap((s) => {
      const node = graph.nodes.get(s);
      return node?.kind === 'source' ? node.topics.map(topicName) : [];
    }),
  );
  const byTopic = new Map<string, SubtopologySpec>();
  for (const s of [...subtopologies, ...globalSubtopologies])
    for (const t of s.sourceTopics) byTopic.set(t, s);
  return {
    applicationId: app,
    subtopologies,
    globalSubtopologies,
    globalStores,
    internalTopics,
    sourceTopics,
    globalTopics,
    sinkTopics,
    coPartitionGroups,
    subtopologyOf: (topic) => byTopic.get(topic),
  };
}
