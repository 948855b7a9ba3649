import type { KeyValueStore } from '../../../../state/types.ts';
import type { Change } from '../../../processor/change.ts';
import type { ProcessorContext } from '../../../processor/processor-context.ts';
import type { ProcessorSupplier } from '../../../processor/processor.ts';
import { sequence } from '../../../processor/internal/sequence.ts';
import type { Serde } from '../../../serdes/serde.ts';
import {
  DELETE_KEY_AND_PROPAGATE,
  DELETE_KEY_NO_PROPAGATE,
  PROPAGATE_NULL_IF_NO_FK_VAL_AVAILABLE,
  PROPAGATE_ONLY_IF_FK_VAL_AVAILABLE,
  primaryKeyOf,
  sameHash,
  subscriptionKey,
  subscriptionPrefix,
  valueHash,
  type Instruction,
  type Subscription,
  type SubscriptionResponse,
} from './fk-wire.ts';
import { hasNullKeyOrValue, isNull } from '../processors/nullish.ts';

type AnySupplier = ProcessorSupplier<unknown, unknown, unknown, unknown>;
type C = Change<unknown>;
/** What the processors of one foreign-key join share. */
export interface FkJoinSpec {
  readonly foreignKeyExtractor: (value: unknown) => unknown;
  readonly joiner: (left: unknown, right: unknown) => unknown;
  readonly leftJoin: boolean;
  readonly primaryKeySerde: Serde<unknown>;
  readonly leftValueSerde: Serde<unknown>;
  readonly foreignKeySerde: Serde<unknown>;
  readonly leftStore: string;
  readonly rightStore: string;
  readonly subscriptionStore: string;
  /** The sink to the subscription-registration topic. */
  readonly registrationSink: string;
  /** The sink to the subscription-response topic. */
  readonly responseSink: string;
  /** The join's output node (a result made without a round trip goes there directly). */
  readonly output: string;
}

function sameForeignKey(spec: FkJoinSpec, a: unknown, b: unknown): boolean {
  if (isNull(a) || isNull(b)) return isNull(a) && isNull(b);
  const x = spec.foreignKeySerde.serialize(a);
  const y = spec.foreignKeySerde.serialize(b);
  return x.byteLength === y.byteLength && x.every((v, i) => v === y[i]);
}

/**
 * Left side, on a change of the left table (Kafka Streams' `SubscriptionSendProcessorSupplier`): tells the
 * owner of the old foreign key to forget this row and the owner of the new one to subscribe it, with the
 * hash of the new left value. A row whose foreign key is null never subscribes: a left join emits
 * `joiner(value, null)` for it at once, an inner join retracts its previous result.
 */
export function subscriptionSendSupplier(spec: FkJoinSpec): AnySupplier {
  return () => {
    let context: ProcessorContext<unknown, unknown>;
    return {
      init(c) {
        context = c;
      },
      process(record) {
        if (isNull(record.key)) return undefined;
        const change = record.value as C;
        const next = change.newValue ?? null;
        const prev = change.oldValue ?? null;
        const newFk = next === null ? null : (spec.foreignKeyExtractor(next) ?? null);
        const oldFk = prev === null ? null : (spec.foreignKeyExtractor(prev) ?? null);
        const hash = valueHash(spec.leftValueSerde, next);
        const out: (
          { to: 'registration'; fk: unknown; instruction: Instruction } | { to: 'output'; result: unknown }
        )[] = [];
        const subscribe = (fk: unknown, instruction: Instruction): void =>
          void out.push({ to: 'registration', fk, instruction });
        if (prev !== null) {
          if (next !== null) {
            if (oldFk !== null && !sameForeignKey(spec, oldFk, newFk))
              subscribe(oldFk, DELETE_KEY_NO_PROPAGATE);
            // A new foreign key must answer even without a value there: the old result has to be unset.
            if (newFk !== null) subscribe(newFk, PROPAGATE_NULL_IF_NO_FK_VAL_AVAILABLE);
            else out.push({ to: 'output', result: spec.leftJoin ? spec.joiner(next, null) : null });
          } else if (oldFk !== null) subscribe(oldFk, DELETE_KEY_AND_PROPAGATE);
          else out.push({ to: 'output', result: null });
        } else if (next !== null) {
          if (newFk !== null) {
            subscribe(
              newFk,
              spec.leftJoin ? PROPAGATE_NULL_IF_NO_FK_VAL_AVAILABLE : PROPAGATE_ONLY_IF_FK_VAL_AVAILABLE,
            );
          } else if (spec.leftJoin) out.push({ to: 'output', result: spec.joiner(next, null) });
        }
        return sequence(out, (o) =>
          o.to === 'registration'
            ? context.forward(
                {
                  ...record,
                  key: o.fk,
                  value: {
                    instruction: o.instruction,
                    hash: o.instruction === DELETE_KEY_AND_PROPAGATE ? null : hash,
                    primaryKey: record.key,
                  } satisfies Subscription,
                },
                spec.registrationSink,
              )
            : context.forward({ ...record, value: { newValue: o.result, oldValue: null } }, spec.output),
        );
      },
    };
  };
}

/**
 * Right side, on a subscription (Kafka Streams' `SubscriptionReceiveProcessorSupplier` and
 * `SubscriptionJoinProcessorSupplier`): records or removes it in the subscription store, then answers the
 * left row with the current foreign value as its instruction says.
 */
export function subscriptionReceiveSupplier(spec: FkJoinSpec): AnySupplier {
  return () => {
    let context: ProcessorContext<unknown, unknown>;
    let subscriptions: KeyValueStore<Uint8Array, Uint8Array>;
    let right: KeyValueStore<unknown, unknown>;
    return {
      init(c) {
        context = c;
        subscriptions = c.getStateStore(spec.subscriptionStore);
        right = c.getStateStore(spec.rightStore);
      },
      process(record) {
        if (hasNullKeyOrValue(record)) return undefined;
        const sub = record.value as Subscription;
        const key = subscriptionKey(
          spec.foreignKeySerde.serialize(record.key),
          spec.primaryKeySerde.serialize(sub.primaryKey),
        );
        const respond = (foreignValue: unknown): void | Promise<void> =>
          context.forward(
            {
              ...record,
              key: sub.primaryKey,
              value: { hash: sub.hash, foreignValue } satisfies SubscriptionResponse,
            },
            spec.responseSink,
          );
        if (sub.instruction === DELETE_KEY_AND_PROPAGATE || sub.instruction === DELETE_KEY_NO_PROPAGATE) {
          subscriptions.delete(key);
          return sub.instruction === DELETE_KEY_AND_PROPAGATE ? respond(null) : undefined;
        }
        subscriptions.put(key, sub.hash ?? new Uint8Array(0));
        const foreign = right.get(record.key) ?? null;
        if (foreign === null && sub.instruction === PROPAGATE_ONLY_IF_FK_VAL_AVAILABLE) return undefined;
        return respond(foreign);
      },
    };
  };
}

/**
 * Right side, on a change of the right table (Kafka Streams' `ForeignTableJoinProcessorSupplier`): answers
 * every subscriber of that foreign key (one prefix scan of the subscription store) with the new value.
 */
export function foreignChangeSupplier(spec: FkJoinSpec): AnySupplier {
  return () => {
    let context: ProcessorContext<unknown, unknown>;
    let subscriptions: KeyValueStore<Uint8Array, Uint8Array>;
    return {
      init(c) {
        context = c;
        subscriptions = c.getStateStore(spec.subscriptionStore);
      },
      async process(record) {
        if (isNull(record.key)) return;
        const change = record.value as C;
        if (isNull(change.newValue) && isNull(change.oldValue)) return;
        const prefix = subscriptionPrefix(spec.foreignKeySerde.serialize(record.key));
        const found: { key: Uint8Array; value: Uint8Array }[] = [];
        for await (const kv of subscriptions.prefixScan(prefix)) found.push(kv);
        for (const kv of found) {
          await context.forward(
            {
              ...record,
              key: spec.primaryKeySerde.deserialize(primaryKeyOf(kv.key)),
              value: {
                hash: kv.value.byteLength === 0 ? null : kv.value,
                foreignValue: change.newValue ?? null,
              } satisfies SubscriptionResponse,
            },
            spec.responseSink,
          );
        }
      },
    };
  };
}

/**
 * Left side, on a response (Kafka Streams' `ResponseJoinProcessorSupplier`): applies it only if the left
 * row still has the value it was made for (same hash), then emits the join result, or a tombstone when
 * there is none (inner join without a foreign value, or the left row is gone).
 */
export function responseResolverSupplier(spec: FkJoinSpec): AnySupplier {
  return () => {
    let context: ProcessorContext<unknown, unknown>;
    let left: KeyValueStore<unknown, unknown>;
    return {
      init(c) {
        context = c;
        left = c.getStateStore(spec.leftStore);
      },
      process(record) {
        if (hasNullKeyOrValue(record)) return undefined;
        const response = record.value as SubscriptionResponse;
        const current = left.get(record.key) ?? null;
        if (!sameHash(response.hash, valueHash(spec.leftValueSerde, current))) return undefined; // stale
        const foreign = response.foreignValue ?? null;
        const result =
          foreign === null && (!spec.leftJoin || current === null) ? null : spec.joiner(current, foreign);
        return context.forward({ ...record, value: { newValue: result, oldValue: null } });
      },
    };
  };
}
