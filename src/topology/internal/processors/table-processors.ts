import type { KeyValueStore } from '../../../../state/types.ts';
import type { Change } from '../../../processor/change.ts';
import type { ProcessorContext } from '../../../processor/processor-context.ts';
import type { ProcessorSupplier } from '../../../processor/processor.ts';
import { sequence } from '../../../processor/internal/sequence.ts';
import { changeRecord, forwardOnCacheFlush } from './cache-forwarder.ts';
import { isNull } from './nullish.ts';

type AnySupplier = ProcessorSupplier<unknown, unknown, unknown, unknown>;
type C = Change<unknown>;

/**
 * Materializes a topic as a table (Kafka Streams' `KTableSource`): upserts, deletes on tombstones, and
 * forwards `Change{new, old}`. Null keys are dropped.
 */
export function tableSourceSupplier(storeName: string): AnySupplier {
  return () => {
    let context: ProcessorContext<unknown, C>;
    let store: KeyValueStore<unknown, unknown>;
    return {
      init(c) {
        context = c;
        store = c.getStateStore(storeName);
      },
      process(record) {
        if (isNull(record.key)) return undefined;
        const old = store.get(record.key) ?? null;
        if (isNull(record.value)) store.delete(record.key);
        else store.put(record.key, record.value);
        return context.forward({ ...record, value: { newValue: record.value ?? null, oldValue: old } });
      },
    };
  };
}

/** Maps both sides of a change (KTable `mapValues` and `filter`); forwards nothing when both end up null. */
export function tableChangeSupplier(f: (value: unknown, key: unknown) => unknown): AnySupplier {
  return () => {
    let context: ProcessorContext<unknown, C>;
    return {
      init(c) {
        context = c;
      },
      process(record) {
        const change = record.value as C;
        const newValue = isNull(change.newValue) ? null : (f(change.newValue, record.key) ?? null);
        const oldValue = isNull(change.oldValue) ? null : (f(change.oldValue, record.key) ?? null);
        if (newValue === null && oldValue === null) return undefined;
        return context.forward({ ...record, value: { newValue, oldValue } });
      },
    };
  };
}

/** KTable `toStream`: forwards the new value (null for a deletion). */
export const tableToStreamSupplier: AnySupplier = () => {
  let context: ProcessorContext<unknown, unknown>;
  return {
    init(c) {
      context = c;
    },
    process(record) {
      return context.forward({ ...record, value: (record.value as C).newValue });
    },
  };
};

/**
 * KTable `groupBy` (Kafka Streams' `KTableRepartitionMap`): re-keys both sides of a change. The old pair is
 * sent as a subtraction to its old group and the new pair as an addition to its new group; when both
 * land on the same key they travel as one change.
 */
export function tableRepartitionMapSupplier(
  selector: (key: unknown, value: unknown) => { key: unknown; value: unknown },
): AnySupplier {
  return () => {
    let context: ProcessorContext<unknown, C>;
    return {
      init(c) {
        context = c;
      },
      process(record) {
        const change = record.value as C;
        const newPair = isNull(change.newValue) ? undefined : selector(record.key, change.newValue);
        const oldPair = isNull(change.oldValue) ? undefined : selector(record.key, change.oldValue);
        const out: { key: unknown; value: C }[] = [];
        if (newPair !== undefined && oldPair !== undefined && sameKey(newPair.key, oldPair.key)) {
          out.push({ key: newPair.key, value: { newValue: newPair.value, oldValue: oldPair.value } });
        } else {
          // old first, as in Kafka Streams, so a value moving between groups leaves before it arrives
          if (oldPair !== undefined && !isNull(oldPair.key))
            out.push({ key: oldPair.key, value: { newValue: null, oldValue: oldPair.value } });
          if (newPair !== undefined && !isNull(newPair.key))
            out.push({ key: newPair.key, value: { newValue: newPair.value, oldValue: null } });
        }
        return sequence(out, (o) => context.forward({ ...record, key: o.key, value: o.value }));
      },
    };
  };
}

function sameKey(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === 'object' && a !== null && JSON.stringify(a) === JSON.stringify(b));
}

/**
 * Aggregates a re-keyed table with an adder and a subtractor (Kafka Streams' `KTableAggregate`/`KTableReduce`).
 * `add(agg, value, key)`/`subtract(agg, value, key)`; `init()` starts an absent aggregate (undefined for
 * reduce, which starts from the first value). With a cached store the cache forwards, once per key per flush.
 */
export function tableAggregateSupplier(
  storeName: string,
  init: (() => unknown) | undefined,
  add: (agg: unknown, value: unknown, key: unknown) => unknown,
  subtract: (agg: unknown, value: unknown, key: unknown) => unknown,
): AnySupplier {
  return () => {
    let context: ProcessorContext<unknown, C>;
    let store: KeyValueStore<unknown, unknown>;
    let cached = false;
    return {
      init(c) {
        context = c;
        store = c.getStateStore(storeName);
        cached = forwardOnCacheFlush(c, store, (f) => changeRecord(c, f));
      },
      process(record) {
        if (isNull(record.key)) return undefined;
        const change = record.value as C;
        const oldAgg = store.get(record.key) ?? null;
        let agg: unknown = oldAgg;
        if (!isNull(change.oldValue) && oldAgg !== null) agg = subtract(oldAgg, change.oldValue, record.key);
        if (!isNull(change.newValue)) {
          if (isNull(agg))
            agg = init === undefined ? change.newValue : add(init(), change.newValue, record.key);
          else agg = add(agg, change.newValue, record.key);
        }
        if (isNull(agg)) store.delete(record.key);
        else store.put(record.key, agg);
        if (cached) return undefined;
        return context.forward({ ...record, value: { newValue: agg ?? null, oldValue: oldAgg } });
      },
    };
  };
}
