import type { Topology, TopologyDescription, CompileOptions, CompiledTopology } from '../topology.ts';
import { compileGraph } from './compile.ts';
import { describeGraph } from './describe.ts';
import type { LogicalGraph } from './logical-graph.ts';
import { makeNodeGroups, type NodeGroup } from './node-groups.ts';

/** The implementation of {@link Topology}: a frozen logical graph. */
export class TopologyImpl implements Topology {
  readonly graph: LogicalGraph;
  readonly groups: readonly NodeGroup[];

  constructor(graph: LogicalGraph) {
    this.graph = graph;
    this.groups = makeNodeGroups(graph);
  }

  describe(): TopologyDescription {
    return describeGraph(this.graph, this.groups);
  }

  compile(options: CompileOptions): CompiledTopology {
    return compileGraph(this.graph, this.groups, options);
  }
}
