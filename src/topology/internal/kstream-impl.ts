import type { KeyValue } from '../../../state/types.ts';
import type { ProcessorSupplier } from '../../processor/processor.ts';
import type { StreamRecord } from '../../processor/record.ts';
import { jsonSerde } from '../../serdes/json-serde.ts';
import type { Serde } from '../../serdes/serde.ts';
import type { BranchedStream } from '../branched-stream.ts';
import type { KGroupedStream } from '../kgrouped-stream.ts';
import type { KStream } from '../kstream.ts';
import type { Grouped, Named, ProcessOptions, Produced, Repartitioned } from '../options.ts';
import { BranchedStreamImpl } from './branched-stream-impl.ts';
import type { InternalBuilder } from './internal-builder.ts';
import { KGroupedStreamImpl } from './kgrouped-stream-impl.ts';
import { statelessSupplier } from './processors/stateless.ts';
import { createRepartitionedSource } from './repartition.ts';
import { dispatchJoin } from './join-impl.ts';

type R = StreamRecord<unknown, unknown>;
type S = Serde<unknown> | undefined;

/** The implementation of {@link KStream}; type parameters are erased inside. */
export class KStreamImpl<K, V> implements KStream<K, V> {
  readonly b: InternalBuilder;
  readonly name: string;
  readonly keySerde: S;
  readonly valueSerde: S;
  readonly repartitionRequired: boolean;

  constructor(b: InternalBuilder, name: string, keySerde: S, valueSerde: S, repartitionRequired: boolean) {
    this.b = b;
    this.name = name;
    this.keySerde = keySerde;
    this.valueSerde = valueSerde;
    this.repartitionRequired = repartitionRequired;
  }

  filter(predicate: (key: K, value: V) => boolean, named?: Named): KStream<K, V> {
    return this.#op('KSTREAM-FILTER-', named, (r) => (predicate(r.key as K, r.value as V) ? r : undefined));
  }

  filterNot(predicate: (key: K, value: V) => boolean, named?: Named): KStream<K, V> {
    return this.#op('KSTREAM-FILTER-', named, (r) => (predicate(r.key as K, r.value as V) ? undefined : r));
  }

  map<KR, VR>(mapper: (key: K, value: V) => KeyValue<KR, VR>, named?: Named): KStream<KR, VR> {
    return this.#op(
      'KSTREAM-MAP-',
      named,
      (r) => {
        const kv = mapper(r.key as K, r.value as V);
        return { ...r, key: kv.key, value: kv.value };
      },
      { key: true, value: true },
    );
  }

  mapValues<VR>(mapper: (value: V, key: K) => VR, named?: Named): KStream<K, VR> {
    return this.#op('KSTREAM-MAPVALUES-', named, (r) => ({ ...r, value: mapper(r.value as V, r.key as K) }), {
      value: true,
    });
  }

  flatMap<KR, VR>(mapper: (key: K, value: V) => Iterable<KeyValue<KR, VR>>, named?: Named): KStream<KR, VR> {
    return this.#op(
      'KSTREAM-FLATMAP-',
      named,
      (r) => Array.from(mapper(r.key as K, r.value as V), (kv) => ({ ...r, key: kv.key, value: kv.value })),
      { key: true, value: true },
    );
  }

  flatMapValues<VR>(mapper: (value: V, key: K) => Iterable<VR>, named?: Named): KStream<K, VR> {
    return this.#op(
      'KSTREAM-FLATMAPVALUES-',
      named,
      (r) => Array.from(mapper(r.value as V, r.key as K), (value) => ({ ...r, value })),
      { value: true },
    );
  }

  selectKey<KR>(selector: (key: K, value: V) => KR, named?: Named): KStream<KR, V> {
    return this.#op(
      'KSTREAM-KEY-SELECT-',
      named,
      (r) => ({ ...r, key: selector(r.key as K, r.value as V) }),
      { key: true },
    );
  }

  peek(action: (key: K, value: V) => void, named?: Named): KStream<K, V> {
    return this.#op('KSTREAM-PEEK-', named, (r) => {
      action(r.key as K, r.value as V);
      return r;
    });
  }

  split(named?: Named): BranchedStream<K, V> {
    return new BranchedStreamImpl<K, V>(this, named?.name ?? this.b.newName('KSTREAM-BRANCH-'));
  }

  merge(other: KStream<K, V>, named?: Named): KStream<K, V> {
    const o = other as KStreamImpl<K, V>;
    const name = named?.name ?? this.b.newName('KSTREAM-MERGE-');
    this.b.addProcessor(
      name,
      [this.name, o.name],
      statelessSupplier((r) => r),
    );
    return new KStreamImpl(
      this.b,
      name,
      this.keySerde === o.keySerde ? this.keySerde : undefined,
      this.valueSerde === o.valueSerde ? this.valueSerde : undefined,
      this.repartitionRequired || o.repartitionRequired,
    );
  }

  to(topic: string, produced?: Produced<K, V>): void {
    const name = produced?.name ?? this.b.newName('KSTREAM-SINK-');
    this.b.addSink(
      name,
      this.name,
      topic,
      (produced?.keySerde as S) ?? this.keySerde ?? jsonSerde(),
      (produced?.valueSerde as S) ?? this.valueSerde ?? jsonSerde(),
    );
  }

  process<KOut, VOut>(
    supplier: ProcessorSupplier<K, V, KOut, VOut>,
    options?: ProcessOptions,
  ): KStream<KOut, VOut> {
    const name = options?.name ?? this.b.newName('KSTREAM-PROCESSOR-');
    this.b.addProcessor(
      name,
      [this.name],
      supplier as ProcessorSupplier<unknown, unknown, unknown, unknown>,
      options?.stores ?? [],
    );
    // A custom processor may change the key: a later aggregation repartitions, as in Kafka Streams.
    return new KStreamImpl(this.b, name, options?.keySerde, options?.valueSerde, true);
  }

  groupByKey(grouped?: Grouped<K, V>): KGroupedStream<K, V> {
    return new KGroupedStreamImpl<K, V>(
      this.b,
      this.name,
      (grouped?.keySerde as S) ?? this.keySerde,
      (grouped?.valueSerde as S) ?? this.valueSerde,
      this.repartitionRequired,
      grouped?.name,
    );
  }

  groupBy<KR>(selector: (key: K, value: V) => KR, grouped?: Grouped<KR, V>): KGroupedStream<KR, V> {
    // Kafka Streams names the key-select node after the grouping when it is named.
    const selected = this.selectKey(selector, {
      name: grouped?.name ?? this.b.newName('KSTREAM-KEY-SELECT-'),
    }) as KStreamImpl<KR, V>;
    return new KGroupedStreamImpl<KR, V>(
      this.b,
      selected.name,
      grouped?.keySerde as S,
      (grouped?.valueSerde as S) ?? this.valueSerde,
      true,
      grouped?.name,
    );
  }

  repartition(repartitioned?: Repartitioned<K, V>): KStream<K, V> {
    const prefix = repartitioned?.name ?? this.b.newName('KSTREAM-REPARTITION-');
    const keySerde = (repartitioned?.keySerde as S) ?? this.keySerde ?? jsonSerde();
    const valueSerde = (repartitioned?.valueSerde as S) ?? this.valueSerde ?? jsonSerde();
    const source = createRepartitionedSource(
      this.b,
      this.name,
      prefix,
      keySerde,
      valueSerde,
      repartitioned?.numberOfPartitions,
    );
    return new KStreamImpl(this.b, source, keySerde, valueSerde, false);
  }

  join(other: unknown, a: unknown, b?: unknown, c?: unknown): KStream<K, never> {
    return dispatchJoin(this as KStreamImpl<unknown, unknown>, 'inner', other, a, b, c) as unknown as KStream<
      K,
      never
    >;
  }

  leftJoin(other: unknown, a: unknown, b?: unknown, c?: unknown): KStream<K, never> {
    return dispatchJoin(this as KStreamImpl<unknown, unknown>, 'left', other, a, b, c) as unknown as KStream<
      K,
      never
    >;
  }

  outerJoin(other: unknown, a: unknown, b?: unknown, c?: unknown): KStream<K, never> {
    return dispatchJoin(this as KStreamImpl<unknown, unknown>, 'outer', other, a, b, c) as unknown as KStream<
      K,
      never
    >;
  }

  #op<KR, VR>(
    prefix: string,
    named: Named | undefined,
    transform: (r: R) => R | readonly R[] | undefined,
    changes: { key?: boolean; value?: boolean } = {},
  ): KStream<KR, VR> {
    const name = named?.name ?? this.b.newName(prefix);
    this.b.addProcessor(name, [this.name], statelessSupplier(transform));
    return new KStreamImpl<KR, VR>(
      this.b,
      name,
      changes.key ? undefined : this.keySerde,
      changes.value ? undefined : this.valueSerde,
      this.repartitionRequired || (changes.key ?? false),
    );
  }
}
