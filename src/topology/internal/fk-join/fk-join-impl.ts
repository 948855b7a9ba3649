import { bytesSerde } from '../../../serdes/bytes-serde.ts';
import { jsonSerde } from '../../../serdes/json-serde.ts';
import type { Serde } from '../../../serdes/serde.ts';
import type { Named } from '../../options.ts';
import { addInternalStore } from '../dsl-stores.ts';
import { materialized } from '../join-impl.ts';
import { KTableImpl } from '../ktable-impl.ts';
import { passThrough } from '../processors/stateless.ts';
import {
  foreignChangeSupplier,
  responseResolverSupplier,
  subscriptionReceiveSupplier,
  subscriptionSendSupplier,
  type FkJoinSpec,
} from './fk-join-processors.ts';
import { responseSerde, subscriptionSerde } from './fk-wire.ts';

type S = Serde<unknown>;
type AnyTable = KTableImpl<unknown, unknown>;

/**
 * The foreign-key KTable-KTable join (Kafka Streams' `KTable.join(other, foreignKeyExtractor, joiner)`,
 * KIP-213). The tables need not be co-partitioned; two internal topics connect them:
 *
 * ```
 * left table ─► SUBSCRIPTION-REGISTRATION ─► <app>-…-subscription-registration-topic (keyed by FK,
 *    │              │ (null FK: result)          co-partitioned with the right table)
 *    │              ▼                                  │
 *    │            OUTPUT ◄── RESPONSE-RESOLVER ◄───────┼─── <app>-…-subscription-response-topic (keyed by the
 *    │                        (left store)             │     left key, co-partitioned with the left table)
 *    │                                                 ▼                       ▲
 * right table ─► SUBSCRIPTION-PROCESSOR (changes) ─────┴─► SUBSCRIPTION-PROCESSOR (subscriptions) ─┘
 *                         subscription store <FK,PK> → hash of the left value
 * ```
 * A response carries the hash of the left value it answers; the resolver drops it when the left row has
 * changed since (a newer response is on its way), so results never go back to an older state.
 */
export function foreignKeyJoin(
  left: AnyTable,
  right: AnyTable,
  foreignKeyExtractor: (value: unknown) => unknown,
  joiner: (l: unknown, r: unknown) => unknown,
  leftJoin: boolean,
  named: Named | undefined,
): AnyTable {
  const { b, keySerde, valueSerde } = left.internals();
  const rightInternals = right.internals();
  const primaryKeySerde = keySerde ?? jsonSerde();
  const foreignKeySerde = rightInternals.keySerde ?? jsonSerde();
  const foreignValueSerde = rightInternals.valueSerde ?? jsonSerde();
  const l = materialized(b, left);
  const r = materialized(b, right);
  const base = named?.name;
  const gen = (prefix: string, suffix: string): string =>
    base === undefined ? b.newName(prefix) : `${base}-${suffix}`;

  const registration = gen('KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-', 'subscription-registration');
  const registrationTopic = `${registration}-topic`;
  const registrationSink = gen('KTABLE-SINK-', 'subscription-registration-sink');
  const registrationSource = gen('KTABLE-SOURCE-', 'subscription-registration-source');
  const subscriptionStore = gen('KTABLE-FK-JOIN-SUBSCRIPTION-STATE-STORE-', 'subscription-store');
  const receive = gen('KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-', 'subscription-receive');
  const foreignChange = gen('KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-', 'subscription-join-foreign');
  const response = gen('KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-', 'subscription-response');
  const responseTopic = `${response}-topic`;
  const responseSink = gen('KTABLE-SINK-', 'subscription-response-sink');
  const responseSource = gen('KTABLE-SOURCE-', 'subscription-response-source');
  const resolver = gen('KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-RESOLVER-PROCESSOR-', 'result');
  const output = gen('KTABLE-FK-JOIN-OUTPUT-', 'output');

  const spec: FkJoinSpec = {
    foreignKeyExtractor,
    joiner,
    leftJoin,
    primaryKeySerde,
    leftValueSerde: valueSerde ?? jsonSerde(),
    foreignKeySerde,
    leftStore: l.store,
    rightStore: r.store,
    subscriptionStore,
    registrationSink,
    responseSink,
    output,
  };
  const leftSources = b.upstreamSources(left.name);
  const rightSources = b.upstreamSources(right.name);

  // Left side: subscribe on every left change.
  b.addRepartitionTopic(registrationTopic, undefined, rightSources);
  b.addProcessor(registration, [l.node], subscriptionSendSupplier(spec));
  b.addSink(
    registrationSink,
    registration,
    registrationTopic,
    foreignKeySerde,
    subscriptionSerde(primaryKeySerde) as S,
  );

  // Right side: keep subscriptions, answer them, and answer every subscriber when a right value changes.
  b.addSource(
    registrationSource,
    [registrationTopic],
    foreignKeySerde,
    subscriptionSerde(primaryKeySerde) as S,
  );
  addInternalStore(b, subscriptionStore, bytesSerde() as S, bytesSerde() as S);
  b.addRepartitionTopic(responseTopic, undefined, leftSources);
  b.addProcessor(receive, [registrationSource], subscriptionReceiveSupplier(spec), [
    subscriptionStore,
    r.store,
  ]);
  b.addProcessor(foreignChange, [r.node], foreignChangeSupplier(spec), [subscriptionStore]);
  b.addSink(responseSink, receive, responseTopic, primaryKeySerde, responseSerde(foreignValueSerde) as S);
  b.addParent(responseSink, foreignChange);

  // Left side again: resolve responses against the current left value.
  b.addSource(responseSource, [responseTopic], primaryKeySerde, responseSerde(foreignValueSerde) as S);
  b.addProcessor(resolver, [responseSource], responseResolverSupplier(spec), [l.store]);
  b.addProcessor(output, [resolver, registration], passThrough);
  b.addCoPartitionGroup([registrationSource, ...rightSources]);
  b.addCoPartitionGroup([responseSource, ...leftSources]);
  return new KTableImpl(b, output, undefined, keySerde, undefined);
}
