import { asCachedStore, type CacheFlushRecord } from '../../../../state/internal/cached-store.ts';
import type { StateStore } from '../../../../state/types.ts';
import type { Change } from '../../../processor/change.ts';
import type { ProcessorContext } from '../../../processor/processor-context.ts';
import type { StreamRecord } from '../../../processor/record.ts';

/**
 * Kafka Streams' `TimestampedTupleForwarder`: when the processor's store has a record cache, the processor
 * forwards nothing itself and the cache forwards `Change{new, old}` for each key it flushes or evicts (the
 * old value is the one the store had at the previous flush). Returns true when the store caches.
 *
 * @example
 * ```ts
 * cached = forwardOnCacheFlush(context, store, (r) => ({ key: r.key, value: change(r), timestamp, headers }));
 * if (!cached) context.forward(...);
 * ```
 */
export function forwardOnCacheFlush<K, V>(
  context: ProcessorContext<unknown, unknown>,
  store: StateStore,
  toRecord: (flushed: CacheFlushRecord<K, V>) => StreamRecord<unknown, unknown>,
  forward: (record: StreamRecord<unknown, unknown>) => void | Promise<void> = (r) => context.forward(r),
): boolean {
  const cached = asCachedStore<K, V>(store);
  if (cached === undefined) return false;
  cached.setFlushListener((flushed) => forward(toRecord(flushed)));
  return true;
}

/** A flushed key-value entry as the record a non-cached processor would have forwarded. */
export function changeRecord(
  context: ProcessorContext<unknown, unknown>,
  flushed: CacheFlushRecord<unknown, unknown>,
): StreamRecord<unknown, Change<unknown>> {
  return {
    key: flushed.key,
    value: { newValue: flushed.newValue, oldValue: flushed.oldValue },
    timestamp: flushed.context?.timestamp ?? context.currentStreamTimeMs(),
    headers: flushed.context?.headers ?? [],
  };
}
