import type {
  GlobalStoreDescription,
  NodeDescription,
  SubtopologyDescription,
  TopologyDescription,
} from '../topology.ts';
import type { LogicalGraph } from './logical-graph.ts';
import type { NodeGroup } from './node-groups.ts';

/** Builds Kafka Streams' `TopologyDescription` of a graph. */
export function describeGraph(graph: LogicalGraph, groups: readonly NodeGroup[]): TopologyDescription {
  const children = new Map<string, string[]>();
  for (const n of graph.nodes.keys()) children.set(n, []);
  for (const node of graph.nodes.values()) {
    if (node.kind !== 'source') for (const p of node.parents) children.get(p)?.push(node.name);
  }
  // size = nodes on all paths below, itself included: Kafka Streams sorts nodes by it (largest first).
  const sizes = new Map<string, number>();
  const size = (n: string): number => {
    let s = sizes.get(n);
    if (s === undefined) {
      s = 1 + (children.get(n) ?? []).reduce((acc, c) => acc + size(c), 0);
      sizes.set(n, s);
    }
    return s;
  };
  const order = (a: string, b: string): number => size(b) - size(a) || (a < b ? -1 : a > b ? 1 : 0);
  const describeNode = (name: string): NodeDescription => {
    const node = graph.nodes.get(name);
    const successors = [...(children.get(name) ?? [])].sort(order);
    if (node?.kind === 'source')
      return { type: 'source', name, topics: node.topics, successors, predecessors: [] };
    const predecessors = [...(node?.parents ?? [])].sort(order);
    if (node?.kind === 'sink') return { type: 'sink', name, topic: node.topic, successors, predecessors };
    return {
      type: 'processor',
      name,
      stores: node?.kind === 'processor' ? node.stores : [],
      successors,
      predecessors,
    };
  };
  const subtopologies: SubtopologyDescription[] = [];
  const globalStores: GlobalStoreDescription[] = [];
  for (const g of groups) {
    const nodes = [...g.nodes].sort(order).map(describeNode);
    if (g.global) {
      const source = nodes.find((n) => n.type === 'source') as NodeDescription;
      const processor = nodes.find((n) => n.type === 'processor') as NodeDescription;
      globalStores.push({ id: g.id, source, processor, store: processor.stores?.[0] ?? '' });
    } else {
      subtopologies.push({ id: g.id, nodes });
    }
  }
  return {
    subtopologies,
    globalStores,
    toString: () => toText(subtopologies, globalStores),
    toJSON: () => ({ subtopologies, globalStores }),
    toMermaid: () => toMermaid(subtopologies, globalStores),
  };
}

const names = (list: readonly string[]): string => (list.length === 0 ? 'none' : list.join(', '));

function nodeText(n: NodeDescription): string {
  if (n.type === 'source')
    return `Source: ${n.name} (topics: [${(n.topics ?? []).join(', ')}])\n      --> ${names(n.successors)}`;
  if (n.type === 'sink')
    return `Sink: ${n.name} (topic: ${n.topic ?? ''})\n      <-- ${names(n.predecessors)}`;
  return `Processor: ${n.name} (stores: [${(n.stores ?? []).join(', ')}])\n      --> ${names(n.successors)}\n      <-- ${names(n.predecessors)}`;
}

/** The exact text of Kafka Streams' `TopologyDescription#toString`. */
function toText(subs: readonly SubtopologyDescription[], globals: readonly GlobalStoreDescription[]): string {
  const parts: { id: number; text: string }[] = [
    ...subs.map((s) => ({
      id: s.id,
      text: `Sub-topology: ${s.id}\n${s.nodes.map((n) => `    ${nodeText(n)}\n`).join('')}\n`,
    })),
    ...globals.map((g) => ({
      id: g.id,
      text: `Sub-topology: ${g.id} for global store (will not generate tasks)\n    ${nodeText(g.source)}\n    ${nodeText(g.processor)}\n`,
    })),
  ].sort((a, b) => a.id - b.id);
  return `Topologies:\n ${parts.map((p) => `  ${p.text}`).join('')}`;
}

function toMermaid(
  subs: readonly SubtopologyDescription[],
  globals: readonly GlobalStoreDescription[],
): string {
  const ids = new Map<string, string>();
  const id = (key: string): string => {
    let v = ids.get(key);
    if (v === undefined) {
      v = `n${ids.size}`;
      ids.set(key, v);
    }
    return v;
  };
  const esc = (s: string): string => s.replace(/"/g, '#quot;');
  const lines = ['flowchart TD'];
  const edges: string[] = [];
  const groups = [
    ...subs.map((s) => ({ title: `Sub-topology: ${s.id}`, nodes: s.nodes })),
    ...globals.map((g) => ({
      title: `Sub-topology: ${g.id} (global store ${g.store})`,
      nodes: [g.source, g.processor],
    })),
  ];
  groups.forEach((g, i) => {
    lines.push(`  subgraph s${i}["${esc(g.title)}"]`);
    for (const n of g.nodes) {
      const label =
        n.type === 'processor' && (n.stores ?? []).length > 0
          ? `${n.name}<br/>stores: ${(n.stores ?? []).join(', ')}`
          : n.name;
      lines.push(
        n.type === 'processor'
          ? `    ${id(n.name)}["${esc(label)}"]`
          : `    ${id(n.name)}(["${esc(label)}"])`,
      );
      for (const c of n.successors) edges.push(`  ${id(n.name)} --> ${id(c)}`);
      for (const t of n.topics ?? []) edges.push(`  ${id(`topic:${t}`)}[/"${esc(t)}"/] -.-> ${id(n.name)}`);
      if (n.topic !== undefined)
        edges.push(`  ${id(n.name)} -.-> ${id(`topic:${n.topic}`)}[/"${esc(n.topic)}"/]`);
    }
    lines.push('  end');
  });
  return [...lines, ...edges].join('\n') + '\n';
}
