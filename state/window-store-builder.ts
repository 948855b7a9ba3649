import { MillraceError } from '../src/errors/index.ts';
import { BufferedBytesStore } from './internal/buffered-bytes-store.ts';
import { CachingWindowStore } from './internal/caching-window-store.ts';
import { ChangeLoggingBytesStore } from './internal/change-logging-bytes-store.ts';
import { assertStoreName } from './internal/store-name.ts';
import { buildWindowedStore } from './internal/windowed-store-impl.ts';
import type { KeyValueBytesStore } from './key-value-bytes-store.ts';
import type { Serde } from './serde.ts';
import { cachingLayer, type StoreBuildContext } from './store-builder.ts';
import type { SessionStore, WindowStore, WindowedStoreOptions } from './window-store.ts';

/**
 * Builds a task's window or session store: typed layer → segmented layout → cache (a window store with
 * `cached` when `context.cache` is given) → change-logging (when `logged`) → write buffer → backend, the
 * key-value builder's stack with a windowed key layout on top. Session stores are never cached here.
 *
 * @example
 * ```ts
 * const store = buildWindowStore('per-minute', stringSerde(), uint64Serde(),
 *   { kind: 'window', retentionMs: 120_000, retainDuplicates: false }, true, { writeBuffer, changelog });
 * ```
 */
export function buildWindowStore(
  name: string,
  keySerde: Serde<unknown>,
  valueSerde: Serde<unknown>,
  options: WindowedStoreOptions,
  logged: boolean,
  context: StoreBuildContext,
  cached = false,
): WindowStore<unknown, unknown> | SessionStore<unknown, unknown> {
  assertStoreName(name);
  if (!(options.retentionMs >= 1)) {
    throw new MillraceError(
      'MR_STATE_STORE_INVALID',
      `window store "${name}" has retention ${options.retentionMs} ms: set a retention of at least the window size plus grace`,
    );
  }
  let bytes: KeyValueBytesStore = new BufferedBytesStore(name, context.writeBuffer);
  if (logged) {
    if (context.changelog === undefined) {
      throw new MillraceError(
        'MR_STATE_STORE_INVALID',
        `window store "${name}" has logging enabled but the task gave no changelog sink: pass one, or disable logging`,
      );
    }
    bytes = new ChangeLoggingBytesStore(bytes, context.changelog);
  }
  const cache = cachingLayer(bytes, cached && options.kind === 'window', context);
  const store = buildWindowedStore(cache ?? bytes, keySerde, valueSerde, options);
  return cache === undefined || store.kind !== 'window'
    ? store
    : new CachingWindowStore(store, cache, keySerde, valueSerde);
}
