import type { KeyValueStore } from '../../../../state/types.ts';
import type { Change } from '../../../processor/change.ts';
import type { ProcessorContext } from '../../../processor/processor-context.ts';
import type { ProcessorSupplier } from '../../../processor/processor.ts';
import { changeRecord, forwardOnCacheFlush } from './cache-forwarder.ts';
import { hasNullKeyOrValue } from './nullish.ts';

/**
 * Aggregates a grouped stream into a store and forwards `Change{new, old}` (Kafka Streams'
 * `KStreamAggregate`/`KStreamReduce`). `step(old, key, value)` returns the new aggregate; `old` is undefined
 * for a new key. Records with a null key or value are dropped, as in Kafka Streams. With a cached store the
 * cache forwards, once per key per flush.
 */
export function streamAggregateSupplier(
  storeName: string,
  step: (old: unknown, key: unknown, value: unknown) => unknown,
): ProcessorSupplier<unknown, unknown, unknown, unknown> {
  return () => {
    let context: ProcessorContext<unknown, Change<unknown>>;
    let store: KeyValueStore<unknown, unknown>;
    let cached = false;
    return {
      init(c) {
        context = c;
        store = c.getStateStore(storeName);
        cached = forwardOnCacheFlush(c, store, (f) => changeRecord(c, f));
      },
      process(record) {
        if (hasNullKeyOrValue(record)) return undefined;
        const old = store.get(record.key);
        const next = step(old, record.key, record.value);
        store.put(record.key, next);
        if (cached) return undefined;
        return context.forward({ ...record, value: { newValue: next, oldValue: old ?? null } });
      },
    };
  };
}
