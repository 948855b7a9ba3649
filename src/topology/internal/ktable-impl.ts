import type { KeyValue } from '../../../state/types.ts';
import { MillraceError } from '../../errors/index.ts';
import { jsonSerde } from '../../serdes/json-serde.ts';
import type { Serde } from '../../serdes/serde.ts';
import type { KGroupedTable } from '../kgrouped-table.ts';
import type { KTable } from '../ktable.ts';
import type { KStream } from '../kstream.ts';
import type { Grouped, Named } from '../options.ts';
import type { Suppressed } from '../windowed-kstream.ts';
import type { InternalBuilder } from './internal-builder.ts';
import { KGroupedTableImpl } from './kgrouped-table-impl.ts';
import { KStreamImpl } from './kstream-impl.ts';
import {
  tableChangeSupplier,
  tableRepartitionMapSupplier,
  tableToStreamSupplier,
} from './processors/table-processors.ts';
import { addSuppress } from './windowed-kstream-impl.ts';
import { tableTableJoin } from './join-impl.ts';
import { foreignKeyJoin } from './fk-join/fk-join-impl.ts';

type J = (a: unknown, b: unknown) => unknown;

type S = Serde<unknown> | undefined;

/** What a windowed KTable knows of its windows (for `suppress`). */
export interface WindowInfo {
  readonly graceMs: number;
  /**
   * A window is final once `end + closeOffsetMs <= streamTime - grace`: 0 for time and sliding windows;
   * `gap + 1` for sessions, which a record up to `gap` after their end could still extend.
   */
  readonly closeOffsetMs: number;
}

/** The implementation of {@link KTable}: its node forwards `Change` values. */
export class KTableImpl<K, V> implements KTable<K, V> {
  readonly #b: InternalBuilder;
  readonly name: string;
  readonly queryableStoreName: string | undefined;
  readonly #keySerde: S;
  readonly #valueSerde: S;
  readonly window: WindowInfo | undefined;

  constructor(
    b: InternalBuilder,
    name: string,
    storeName: string | undefined,
    keySerde: S,
    valueSerde: S,
    window?: WindowInfo,
  ) {
    this.window = window;
    this.#b = b;
    this.name = name;
    this.queryableStoreName = storeName;
    this.#keySerde = keySerde;
    this.#valueSerde = valueSerde;
  }

  filter(predicate: (key: K, value: V) => boolean, named?: Named): KTable<K, V> {
    return this.#change('KTABLE-FILTER-', named, (v, k) => (predicate(k as K, v as V) ? v : null), false);
  }

  filterNot(predicate: (key: K, value: V) => boolean, named?: Named): KTable<K, V> {
    return this.#change('KTABLE-FILTER-', named, (v, k) => (predicate(k as K, v as V) ? null : v), false);
  }

  mapValues<VR>(mapper: (value: V, key: K) => VR, named?: Named): KTable<K, VR> {
    return this.#change('KTABLE-MAPVALUES-', named, (v, k) => mapper(v as V, k as K), true);
  }

  toStream(named?: Named): KStream<K, V | null> {
    const name = named?.name ?? this.#b.newName('KTABLE-TOSTREAM-');
    this.#b.addProcessor(name, [this.name], tableToStreamSupplier);
    return new KStreamImpl(this.#b, name, this.#keySerde, this.#valueSerde, false);
  }

  groupBy<KR, VR>(
    selector: (key: K, value: V) => KeyValue<KR, VR>,
    grouped?: Grouped<KR, VR>,
  ): KGroupedTable<KR, VR> {
    const name = grouped?.name ?? this.#b.newName('KTABLE-SELECT-');
    this.#b.addProcessor(
      name,
      [this.name],
      tableRepartitionMapSupplier(selector as (k: unknown, v: unknown) => KeyValue<unknown, unknown>),
    );
    return new KGroupedTableImpl<KR, VR>(
      this.#b,
      name,
      grouped?.keySerde as S,
      grouped?.valueSerde as S,
      grouped?.name,
    );
  }

  /** What joins need of this table. */
  internals(): { b: InternalBuilder; keySerde: S; valueSerde: S } {
    return { b: this.#b, keySerde: this.#keySerde, valueSerde: this.#valueSerde };
  }

  join<VR>(other: KTable<never, never>, a: unknown, b?: unknown, c?: unknown): KTable<K, VR> {
    return this.#join(other, 'inner', a, b, c) as KTable<K, VR>;
  }

  leftJoin<VR>(other: KTable<never, never>, a: unknown, b?: unknown, c?: unknown): KTable<K, VR> {
    return this.#join(other, 'left', a, b, c) as KTable<K, VR>;
  }

  /** `(other, joiner, named?)`: equi-join; `(other, foreignKeyExtractor, joiner, named?)`: foreign-key join. */
  #join(
    other: unknown,
    kind: 'inner' | 'left',
    a: unknown,
    b: unknown,
    c: unknown,
  ): KTableImpl<unknown, unknown> {
    const self = this as KTableImpl<unknown, unknown>;
    const table = other as KTableImpl<unknown, unknown>;
    if (typeof b === 'function') {
      return foreignKeyJoin(self, table, a as (v: unknown) => unknown, b as J, kind === 'left', c as Named);
    }
    return tableTableJoin(self, table, a as J, kind, b as Named | undefined);
  }

  outerJoin<VO, VR>(
    other: KTable<K, VO>,
    joiner: (value: V | null, other: VO | null) => VR,
    named?: Named,
  ): KTable<K, VR> {
    return tableTableJoin(this, other as KTableImpl<K, VO>, joiner as J, 'outer', named) as KTable<K, VR>;
  }

  suppress(suppressed: Suppressed, named?: Named): KTable<K, V> {
    if (this.window === undefined) {
      throw new MillraceError(
        'MR_TOPOLOGY_INVALID',
        `suppress(untilWindowCloses) needs a windowed KTable (the result of windowedBy(...).count/reduce/aggregate): "${this.name}" is not one`,
      );
    }
    const name = named?.name ?? suppressed.name ?? this.#b.newName('KTABLE-SUPPRESS-');
    const store = `${name}-STATE-STORE`;
    const node = addSuppress(
      this.#b,
      this.name,
      name,
      store,
      this.window,
      this.#keySerde ?? jsonSerde(),
      this.#valueSerde ?? jsonSerde(),
    );
    return new KTableImpl<K, V>(this.#b, node, undefined, this.#keySerde, this.#valueSerde);
  }

  #change<VR>(
    prefix: string,
    named: Named | undefined,
    f: (v: unknown, k: unknown) => unknown,
    valueChanged: boolean,
  ): KTable<K, VR> {
    const name = named?.name ?? this.#b.newName(prefix);
    this.#b.addProcessor(name, [this.name], tableChangeSupplier(f));
    return new KTableImpl<K, VR>(
      this.#b,
      name,
      undefined,
      this.#keySerde,
      valueChanged ? undefined : this.#valueSerde,
      this.window,
    );
  }
}
