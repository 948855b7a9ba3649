import { Stores, type ChangelogSink, type WriteBuffer } from '../../../state/index.ts';
import type { StoreCacheContext } from '../../../state/store-builder.ts';
import type { StateStore } from '../../../state/types.ts';
import { buildWindowStore } from '../../../state/window-store-builder.ts';
import { MillraceError } from '../../errors/index.ts';
import type { StoreSpec } from '../../processor/subtopology-spec.ts';

/**
 * What a task gives the store factory: its write buffer (over its backend), its changelog sink, and the
 * thread's record cache (stores whose spec says `cached` cache in it; none without it).
 */
export interface TaskStoreContext {
  writeBuffer: WriteBuffer;
  changelog: ChangelogSink;
  cache?: StoreCacheContext;
}

/**
 * Builds a task's instance of a store from its spec, as the stacked layers of the state package. One
 * place for every store type the topology can declare, shared by the Kafka runtime and the test driver.
 * A `window` or `session` spec (windowed aggregations, stream-stream joins) gets the segmented layout of
 * its `windowed` options over the same layers; its changelog and restore are those of a key-value store
 * (the changelog holds the segmented binary keys).
 */
export function buildStore(spec: StoreSpec, context: TaskStoreContext): StateStore {
  switch (spec.type) {
    case 'window':
    case 'session': {
      if (spec.windowed === undefined || spec.windowed.kind !== spec.type) {
        throw new MillraceError(
          'MR_TOPOLOGY_INVALID',
          `${spec.type} store "${spec.name}" has no matching windowed layout: build the topology through the DSL`,
        );
      }
      return buildWindowStore(
        spec.name,
        spec.keySerde,
        spec.valueSerde,
        spec.windowed,
        spec.logged,
        context,
        spec.cached === true,
      );
    }
    case 'key-value': {
      const builder = Stores.keyValueStoreBuilder(spec.name, spec.keySerde, spec.valueSerde);
      const logged = spec.logged ? builder.withLoggingEnabled() : builder.withLoggingDisabled();
      return (spec.cached === true ? logged.withCachingEnabled() : logged).build(context);
    }
    default:
      throw new MillraceError(
        'MR_TOPOLOGY_INVALID',
        `store "${spec.name}" has a type this runtime cannot build: ${String(spec.type)}`,
      );
  }
}
