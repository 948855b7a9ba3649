import type { KeyValueStore } from '../../../../state/types.ts';
import type { Change } from '../../../processor/change.ts';
import type { ProcessorContext } from '../../../processor/processor-context.ts';
import type { ProcessorSupplier } from '../../../processor/processor.ts';
import { hasNullKeyOrValue, isNull } from './nullish.ts';

type AnySupplier = ProcessorSupplier<unknown, unknown, unknown, unknown>;
type Joiner = (left: unknown, right: unknown) => unknown;

/**
 * KStream-KTable and KStream-GlobalKTable joins (Kafka Streams' `KStreamKTableJoin`): only stream records
 * trigger; each looks up the table's current value. Inner: no output without a table value; left: joins
 * with null. Stream records with a null key or value are dropped (the docs' semantics table, rows 1/7/12).
 * For a global table, `keySelector` maps the stream record to the table's key.
 */
export function streamTableJoinSupplier(
  tableStore: string,
  joiner: Joiner,
  left: boolean,
  keySelector?: (key: unknown, value: unknown) => unknown,
): AnySupplier {
  return () => {
    let context: ProcessorContext<unknown, unknown>;
    let table: KeyValueStore<unknown, unknown>;
    return {
      init(c) {
        context = c;
        table = c.getStateStore(tableStore);
      },
      process(record) {
        if (hasNullKeyOrValue(record)) return undefined;
        const lookup = keySelector === undefined ? record.key : keySelector(record.key, record.value);
        const other = isNull(lookup) ? undefined : table.get(lookup);
        if (other === undefined && !left) return undefined;
        return context.forward({ ...record, value: joiner(record.value, other ?? null) });
      },
    };
  };
}

/** Keeps a store in step with a table's changes (materializes a derived table for a join). */
export function tableMaterializeSupplier(storeName: string): AnySupplier {
  return () => {
    let context: ProcessorContext<unknown, unknown>;
    let store: KeyValueStore<unknown, unknown>;
    return {
      init(c) {
        context = c;
        store = c.getStateStore(storeName);
      },
      process(record) {
        if (isNull(record.key)) return undefined;
        const change = record.value as Change<unknown>;
        if (isNull(change.newValue)) store.delete(record.key);
        else store.put(record.key, change.newValue);
        return context.forward(record);
      },
    };
  };
}

/**
 * One side of a KTable-KTable join (Kafka Streams' `KTableKTableJoin`/`LeftJoin`/`OuterJoin`): on a change of
 * this side, joins the new and the old value with the other side's current value. `combine(mine, other)`
 * returns the join result or null (inner: both present; left: the left present; outer: either present).
 * Forwards `Change{newJoined, oldJoined}` when either is non-null, so a deletion that ends a join result
 * is a tombstone and nothing is sent when there was and is no result (the docs' table, rows 7, 8, 12, 13).
 */
export function tableTableJoinSupplier(
  otherStore: string,
  combine: (mine: unknown, other: unknown) => unknown,
): AnySupplier {
  return () => {
    let context: ProcessorContext<unknown, unknown>;
    let other: KeyValueStore<unknown, unknown>;
    return {
      init(c) {
        context = c;
        other = c.getStateStore(otherStore);
      },
      process(record) {
        if (isNull(record.key)) return undefined;
        const change = record.value as Change<unknown>;
        const o = other.get(record.key) ?? null;
        const newValue = combine(change.newValue ?? null, o);
        const oldValue = combine(change.oldValue ?? null, o);
        if (newValue === null && oldValue === null) return undefined;
        return context.forward({ ...record, value: { newValue, oldValue } });
      },
    };
  };
}

/** `combine` functions of {@link tableTableJoinSupplier} for the left and the right side of each join kind. */
export function tableJoinCombiners(
  kind: 'inner' | 'left' | 'outer',
  joiner: Joiner,
): [(mine: unknown, other: unknown) => unknown, (mine: unknown, other: unknown) => unknown] {
  const ok = (l: unknown, r: unknown): boolean =>
    kind === 'inner' ? !isNull(l) && !isNull(r) : kind === 'left' ? !isNull(l) : !isNull(l) || !isNull(r);
  return [
    (mine, other) => (ok(mine, other) ? joiner(mine, other) : null),
    (mine, other) => (ok(other, mine) ? joiner(other, mine) : null),
  ];
}
