export { createStreamsBuilder, type StreamsBuilder } from './streams-builder.ts';
export type { KStream } from './kstream.ts';
export type { KTable, GlobalKTable } from './ktable.ts';
export type { KGroupedStream } from './kgrouped-stream.ts';
export type { KGroupedTable } from './kgrouped-table.ts';
export type { BranchedStream, Branched } from './branched-stream.ts';
export {
  TimeWindows,
  SlidingWindows,
  SessionWindows,
  JoinWindows,
  type Window,
  type Windowed,
} from './windows.ts';
export {
  Suppressed,
  type TimeWindowedKStream,
  type SessionWindowedKStream,
  type WindowedMaterialized,
} from './windowed-kstream.ts';
export type { Joined } from './joined.ts';
export { windowedSerde, type Timestamped } from './internal/windowed-serdes.ts';
export type {
  Named,
  Consumed,
  Produced,
  Grouped,
  Materialized,
  Repartitioned,
  StoreDefinition,
  ProcessOptions,
} from './options.ts';
export type {
  Topology,
  TopologyDescription,
  SubtopologyDescription,
  GlobalStoreDescription,
  NodeDescription,
  CompiledTopology,
  CompileOptions,
  InternalTopicSpec,
} from './topology.ts';
export * from './spec/index.ts';
