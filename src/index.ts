/**
 * Millrace's public API: interfaces and factories. Implementations live in `internal/` folders that users
 * never import. The healthcare application uses only what is exported here.
 */
export * from './errors/index.ts';
export * from './config/index.ts';
export * from './processor/index.ts';
export * from './serdes/index.ts';
export * from './topology/index.ts';
export * from './topology/spec/index.ts';
export * from './test-driver/index.ts';
export {
  createStreamsApp,
  type StreamsApp,
  type StreamsAppOptions,
  type StoreRestoreProgress,
  type LogLevel,
} from './runtime/streams-app.ts';
export {
  installShutdownHooks,
  SHUTDOWN_EXIT_CODES,
  type ShutdownHooksOptions,
  type ShutdownTarget,
} from './runtime/shutdown-hooks.ts';
export type { AppState } from './runtime/app-lifecycle.ts';
export type { TaskLifecycleState } from './runtime/task-lifecycle.ts';
export { StreamsMetrics, type ErrorCounts } from './runtime/streams-metrics.ts';
export { partitionFor } from './kafka/index.ts';
export type * from '../state/types.ts';
export { Stores, type KeyValueStoreBuilder } from '../state/index.ts';
export * from './server/index.ts';
export * from './metrics/index.ts';
export { RANDOM_GENERATOR, seededRandom, type LoadGenerator } from './cli/load-generator.ts';
export * from './time/index.ts';
export type {
  WindowStore,
  SessionStore,
  WindowEntry,
  SessionEntry,
  WindowedStoreOptions,
} from '../state/window-store.ts';
