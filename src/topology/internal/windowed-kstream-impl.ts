import { bytesSerde } from '../../serdes/bytes-serde.ts';
import { jsonSerde } from '../../serdes/json-serde.ts';
import { longSerde } from '../../serdes/long-serde.ts';
import type { Serde } from '../../serdes/serde.ts';
import type { KTable } from '../ktable.ts';
import type {
  SessionWindowedKStream,
  TimeWindowedKStream,
  WindowedMaterialized,
} from '../windowed-kstream.ts';
import type { SessionWindows, SlidingWindows, TimeWindows, Windowed } from '../windows.ts';
import type { InternalBuilder } from './internal-builder.ts';
import { KTableImpl, type WindowInfo } from './ktable-impl.ts';
import { sessionWindowAggregateSupplier } from './processors/session-window-aggregate.ts';
import { slidingWindowAggregateSupplier } from './processors/sliding-window-aggregate.ts';
import { passThrough } from './processors/stateless.ts';
import { suppressSupplier } from './processors/suppress.ts';
import { timeWindowAggregateSupplier, type WindowedOutput } from './processors/time-window-aggregate.ts';
import { groupedParent } from './repartition.ts';
import { timestampedSerde, windowedSerde } from './windowed-serdes.ts';

type S = Serde<unknown> | undefined;
type M = WindowedMaterialized<unknown, unknown> | undefined;
type Agg = (key: unknown, value: unknown, agg: unknown) => unknown;

/** Where the grouped stream is: what `windowedBy` needs from its `KGroupedStream`. */
export interface GroupedSource {
  readonly b: InternalBuilder;
  readonly parent: string;
  readonly keySerde: S;
  readonly valueSerde: S;
  readonly repartitionRequired: boolean;
  readonly groupedName: string | undefined;
}

/** The implementation of {@link TimeWindowedKStream} and {@link SessionWindowedKStream}. */
export class WindowedKStreamImpl<K, V> implements TimeWindowedKStream<K, V>, SessionWindowedKStream<K, V> {
  readonly #g: GroupedSource;
  readonly #windows: TimeWindows | SlidingWindows | SessionWindows;

  constructor(g: GroupedSource, windows: TimeWindows | SlidingWindows | SessionWindows) {
    this.#g = g;
    this.#windows = windows;
  }

  count(materialized?: WindowedMaterialized<K, number>): KTable<Windowed<K>, number> {
    return this.#aggregate(
      'KSTREAM-AGGREGATE-',
      materialized as M,
      longSerde(),
      () => 0,
      (_k, _v, agg) => (agg as number) + 1,
      (_k, a, b) => (a as number) + (b as number),
    );
  }

  reduce(
    reducer: (aggregate: V, value: V) => V,
    materialized?: WindowedMaterialized<K, V>,
  ): KTable<Windowed<K>, V> {
    // undefined marks "no value yet": the first value starts the aggregate, as in Kafka Streams.
    const step = (v: unknown, agg: unknown): unknown => (agg === undefined ? v : reducer(agg as V, v as V));
    return this.#aggregate(
      'KSTREAM-REDUCE-',
      materialized as M,
      this.#g.valueSerde,
      () => undefined,
      (_k, v, agg) => step(v, agg),
      (_k, a, b) => (a === undefined ? b : b === undefined ? a : reducer(a as V, b as V)),
    );
  }

  aggregate<VA>(
    initializer: () => VA,
    aggregator: (key: K, value: V, aggregate: VA) => VA,
    mergerOrMaterialized?: ((key: K, a: VA, b: VA) => VA) | WindowedMaterialized<K, VA>,
    materialized?: WindowedMaterialized<K, VA>,
  ): KTable<Windowed<K>, VA> {
    const merger = typeof mergerOrMaterialized === 'function' ? mergerOrMaterialized : undefined;
    const m = typeof mergerOrMaterialized === 'function' ? materialized : mergerOrMaterialized;
    return this.#aggregate(
      'KSTREAM-AGGREGATE-',
      m as M,
      undefined,
      initializer,
      aggregator as Agg,
      (merger ?? ((_k: K, _a: VA, b: VA) => b)) as Agg,
    );
  }

  #aggregate<VA>(
    prefix: string,
    m: M,
    defaultValueSerde: S,
    init: () => unknown,
    aggregate: Agg,
    merger: Agg,
  ): KTable<Windowed<K>, VA> {
    const { b } = this.#g;
    const w = this.#windows;
    const storeName = m?.storeName ?? b.newStoreName(prefix);
    const name = m?.name ?? b.newName(prefix);
    const keySerde = (m?.keySerde as S) ?? this.#g.keySerde ?? jsonSerde();
    const valueSerde = (m?.valueSerde as S) ?? defaultValueSerde ?? jsonSerde();
    const inputValueSerde = this.#g.valueSerde ?? jsonSerde();
    const parent = groupedParent(this.#g, storeName, keySerde, inputValueSerde);
    const span = w.type === 'time' ? w.sizeMs : w.type === 'sliding' ? w.timeDifferenceMs : w.gapMs;
    // Sessions: an out-of-order record can bridge an open session with an older one up to two gaps before
    // it, which itself may be a grace late; keep those (Kafka Streams keeps only gap + grace and would miss
    // such merges). A session older than the retention can no longer be merged.
    const minRetention =
      w.type === 'time'
        ? span + w.graceMs
        : w.type === 'sliding'
          ? span + w.graceMs + 1
          : 4 * span + 2 * w.graceMs + 1;
    const retentionMs = Math.max(m?.retentionMs ?? minRetention, minRetention);
    const logged = m?.loggingEnabled ?? true;
    const persistent = m?.persistent ?? true;
    const base = { logged, persistent, globalTopic: undefined };
    b.addStore({
      ...base,
      name: storeName,
      // Time windows only: the sliding and session processors read windows back with fetches (not cached yet).
      cached: w.type === 'time' && (m?.cachingEnabled ?? true),
      keySerde,
      valueSerde: timestampedSerde(valueSerde) as Serde<unknown>,
      windowed: {
        kind: w.type === 'session' ? 'session' : 'window',
        retentionMs,
        retainDuplicates: false,
        ...(w.type === 'session' ? {} : { windowSizeMs: span }),
      },
    });
    const stores = [storeName];
    const lateTopic = m?.lateRecordsTopic;
    const out: WindowedOutput = {
      node: name,
      lateChild: lateTopic === undefined ? undefined : `${name}-LATE-SINK`,
      resultsChild: lateTopic === undefined ? undefined : `${name}-RESULTS`,
    };
    let supplier;
    if (w.type === 'time') {
      supplier = timeWindowAggregateSupplier(storeName, w, init, aggregate, out);
    } else if (w.type === 'sliding') {
      const recordsStore = `${storeName}-records`;
      b.addStore({
        ...base,
        name: recordsStore,
        keySerde,
        valueSerde: inputValueSerde,
        // Records are needed while a record at t can still land in their windows: 2d + grace.
        windowed: { kind: 'window', retentionMs: 2 * span + w.graceMs + 3, retainDuplicates: true },
      });
      stores.push(recordsStore);
      supplier = slidingWindowAggregateSupplier(storeName, recordsStore, w, init, aggregate, out);
    } else {
      supplier = sessionWindowAggregateSupplier(storeName, w, init, aggregate, merger, out);
    }
    b.addProcessor(name, [parent], supplier, stores);
    let node = name;
    if (lateTopic !== undefined) {
      b.addSink(out.lateChild as string, name, lateTopic, keySerde, inputValueSerde);
      b.addProcessor(out.resultsChild as string, [name], passThrough);
      node = out.resultsChild as string;
    }
    const info: WindowInfo = { graceMs: w.graceMs, closeOffsetMs: w.type === 'session' ? w.gapMs + 1 : 0 };
    const wKeySerde = windowedSerde(keySerde) as Serde<unknown>;
    if (m?.emitStrategy === 'onWindowClose') {
      node = addSuppress(
        b,
        node,
        `${name}-EMIT-ON-CLOSE`,
        `${storeName}-emit-buffer`,
        info,
        wKeySerde,
        valueSerde,
        logged,
      );
    }
    return new KTableImpl<Windowed<K>, VA>(b, node, storeName, wKeySerde, valueSerde, info);
  }
}

/** Adds a suppression processor and its logged buffer store after `parent`; returns the processor's name. */
export function addSuppress(
  b: InternalBuilder,
  parent: string,
  name: string,
  bufferStore: string,
  info: WindowInfo,
  keySerde: Serde<unknown>,
  valueSerde: Serde<unknown>,
  logged = true,
): string {
  b.addStore({
    name: bufferStore,
    keySerde: bytesSerde() as Serde<unknown>,
    valueSerde: bytesSerde() as Serde<unknown>,
    logged,
    persistent: true,
    globalTopic: undefined,
  });
  b.addProcessor(
    name,
    [parent],
    suppressSupplier(
      bufferStore,
      info.graceMs,
      info.closeOffsetMs,
      keySerde as Serde<Windowed<unknown>>,
      valueSerde,
    ),
    [bufferStore],
  );
  return name;
}
