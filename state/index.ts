/**
 * The public API of the state layer. Backends: `state/lmdb/` (default), `state/level/`, `state/memory/`
 * each export their factory from their own index, so only the chosen backend's dependency is loaded.
 */
export type { KeyValue, ScanOptions, StateStore, KeyValueStore, ReadOnlyKeyValueStore } from './types.ts';
export {
  checkpointKey,
  type BackendKind,
  type BytesEntry,
  type BytesScanOptions,
  type BytesStore,
  type Checkpoints,
  type StoreBackend,
  type StoreWrite,
} from './backend.ts';
export type { KeyValueBytesStore } from './key-value-bytes-store.ts';
export { type Serde, stringSerde, jsonSerde, bytesSerde, uint64Serde, orderedInt64Serde } from './serde.ts';
export {
  changelogTopic,
  createInMemoryChangelogSink,
  type ChangelogEntry,
  type ChangelogSink,
  type InMemoryChangelogSink,
} from './changelog-sink.ts';
export type { StoreMetrics, StoreOperation } from './store-metrics.ts';
export { createWriteBuffer, type BufferedWrite, type WriteBuffer } from './write-buffer.ts';
export { Stores, type KeyValueStoreBuilder, type StoreBuildContext } from './store-builder.ts';
export {
  createStoreRestorer,
  type ChangelogRecord,
  type RestoreProgress,
  type StoreRestorer,
  type StoreRestorerOptions,
} from './restore.ts';
