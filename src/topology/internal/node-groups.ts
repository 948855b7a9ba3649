import type { LogicalGraph, LogicalNode } from './logical-graph.ts';

/** A set of nodes connected by edges or shared stores: one sub-topology (Kafka Streams' node group). */
export interface NodeGroup {
  readonly id: number;
  /** Node names: sources first (sorted), then the rest in the order they were added (parents first). */
  readonly nodes: readonly string[];
  readonly global: boolean;
}

/**
 * Groups nodes into sub-topologies the way Kafka Streams' `makeNodeGroups` does: union nodes along edges
 * and along shared (non-global) stores; number groups in the order of their sorted source node names.
 * Topics do not connect nodes, so a repartition topic splits the graph.
 */
export function makeNodeGroups(graph: LogicalGraph): NodeGroup[] {
  const parent = new Map<string, string>();
  const find = (n: string): string => {
    let root = n;
    while (parent.get(root) !== root) root = parent.get(root) as string;
    parent.set(n, root);
    return root;
  };
  const union = (a: string, b: string): void => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(rb, ra);
  };
  for (const name of graph.nodes.keys()) parent.set(name, name);
  const storeOwner = new Map<string, string>();
  for (const node of graph.nodes.values()) {
    if (node.kind === 'source') continue;
    for (const p of node.parents) union(p, node.name);
    if (node.kind !== 'processor') continue;
    for (const s of node.stores) {
      if (graph.stores.get(s)?.globalTopic !== undefined && !isGlobalProcessor(graph, node)) continue;
      const owner = storeOwner.get(s);
      if (owner === undefined) storeOwner.set(s, node.name);
      else union(owner, node.name);
    }
  }
  const sources = [...graph.nodes.values()]
    .filter((n) => n.kind === 'source')
    .map((n) => n.name)
    .sort();
  const order = [...sources, ...[...graph.nodes.keys()].filter((n) => !sources.includes(n))];
  const ids = new Map<string, number>();
  const members = new Map<number, string[]>();
  for (const name of order) {
    const root = find(name);
    let id = ids.get(root);
    if (id === undefined) {
      id = ids.size;
      ids.set(root, id);
      members.set(id, []);
    }
    members.get(id)?.push(name);
  }
  return [...members.entries()].map(([id, nodes]) => ({
    id,
    nodes,
    global: nodes.some((n) => {
      const node = graph.nodes.get(n);
      return node?.kind === 'source' && node.global;
    }),
  }));
}

function isGlobalProcessor(graph: LogicalGraph, node: LogicalNode): boolean {
  if (node.kind === 'source') return node.global;
  return node.parents.some((p) => {
    const parent = graph.nodes.get(p);
    return parent?.kind === 'source' && parent.global;
  });
}
