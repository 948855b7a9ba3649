import { MillraceError } from '../../errors/index.ts';
import { bytesSerde } from '../../serdes/bytes-serde.ts';
import { jsonSerde } from '../../serdes/json-serde.ts';
import type { Serde } from '../../serdes/serde.ts';
import type { Joined } from '../joined.ts';
import type { GlobalKTable } from '../ktable.ts';
import type { Named } from '../options.ts';
import type { JoinWindows } from '../windows.ts';
import { addInternalStore } from './dsl-stores.ts';
import type { InternalBuilder } from './internal-builder.ts';
import { KStreamImpl } from './kstream-impl.ts';
import { KTableImpl } from './ktable-impl.ts';
import {
  streamTableJoinSupplier,
  tableJoinCombiners,
  tableMaterializeSupplier,
  tableTableJoinSupplier,
} from './processors/join-processors.ts';
import { streamJoinSideSupplier, type StreamJoinSpec } from './processors/stream-stream-join.ts';
import { createRepartitionedSource } from './repartition.ts';
import { passThrough } from './processors/stateless.ts';

type S = Serde<unknown>;
type J = (a: unknown, b: unknown) => unknown;
type Kind = 'inner' | 'left' | 'outer';
type AnyStream = KStreamImpl<unknown, unknown>;
type AnyTable = KTableImpl<unknown, unknown>;

/** Routes `KStream.join/leftJoin/outerJoin` by the type of the other side. */
export function dispatchJoin(
  stream: AnyStream,
  kind: Kind,
  other: unknown,
  a: unknown,
  b: unknown,
  c: unknown,
): AnyStream {
  if (other instanceof KStreamImpl) {
    return streamStreamJoin(
      stream,
      other as AnyStream,
      a as J,
      b as JoinWindows,
      kind,
      c as Joined<unknown, unknown, unknown>,
    );
  }
  if (kind === 'outer') {
    throw new MillraceError(
      'MR_TOPOLOGY_INVALID',
      'outerJoin needs another KStream and JoinWindows: stream-table joins are inner or left',
    );
  }
  if (other instanceof KTableImpl) {
    return streamTableJoin(
      stream,
      other as AnyTable,
      a as J,
      kind === 'left',
      b as Joined<unknown, unknown, unknown>,
    );
  }
  const global = other as GlobalKTable<unknown, unknown>;
  const name = (c as Named | undefined)?.name ?? stream.b.newName('KSTREAM-JOIN-');
  stream.b.addProcessor(
    name,
    [stream.name],
    streamTableJoinSupplier(
      global.queryableStoreName,
      b as J,
      kind === 'left',
      a as (k: unknown, v: unknown) => unknown,
    ),
    [global.queryableStoreName],
  );
  return new KStreamImpl(stream.b, name, stream.keySerde, undefined, stream.repartitionRequired);
}

/** A stream side of a join: repartitioned first when its key may have changed. */
function coPartitioned(
  stream: AnyStream,
  prefix: string,
  keySerde: S | undefined,
  valueSerde: S | undefined,
): string {
  if (!stream.repartitionRequired) return stream.name;
  return createRepartitionedSource(
    stream.b,
    stream.name,
    prefix,
    keySerde ?? stream.keySerde ?? jsonSerde(),
    valueSerde ?? stream.valueSerde ?? jsonSerde(),
  );
}

/** The store holding a table's current values; adds one (and a materializing node) when it has none. */
export function materialized(b: InternalBuilder, table: AnyTable): { node: string; store: string } {
  if (table.queryableStoreName !== undefined) return { node: table.name, store: table.queryableStoreName };
  const { keySerde, valueSerde } = table.internals();
  const store = b.newStoreName('KTABLE-JOIN-');
  const node = b.newName('KTABLE-MATERIALIZE-');
  addInternalStore(b, store, keySerde ?? jsonSerde(), valueSerde ?? jsonSerde());
  b.addProcessor(node, [table.name], tableMaterializeSupplier(store), [store]);
  return { node, store };
}

function streamTableJoin(
  stream: AnyStream,
  table: AnyTable,
  joiner: J,
  left: boolean,
  joined: Joined<unknown, unknown, unknown> | undefined,
): AnyStream {
  const b = stream.b;
  const name = joined?.name ?? b.newName('KSTREAM-JOIN-');
  const parent = coPartitioned(stream, `${name}-left`, joined?.keySerde, joined?.valueSerde);
  const { store } = materialized(b, table);
  b.addProcessor(name, [parent], streamTableJoinSupplier(store, joiner, left), [store]);
  b.addCoPartitionGroup([...b.upstreamSources(parent), ...b.upstreamSources(table.name)]);
  return new KStreamImpl(b, name, stream.keySerde, undefined, false);
}

/** KTable-KTable equi-join: one join processor per side, each looking up the other side's store. */
export function tableTableJoin(
  left: AnyTable,
  right: AnyTable,
  joiner: J,
  kind: Kind,
  named: Named | undefined,
): AnyTable {
  const { b, keySerde } = left.internals();
  const l = materialized(b, left);
  const r = materialized(b, right);
  const [leftCombine, rightCombine] = tableJoinCombiners(kind, joiner);
  const base = named?.name ?? b.newName('KTABLE-JOIN-');
  const leftNode = `${base}-LEFT`;
  const rightNode = `${base}-RIGHT`;
  const merge = named?.name ?? b.newName('KTABLE-MERGE-');
  b.addProcessor(leftNode, [l.node], tableTableJoinSupplier(r.store, leftCombine), [r.store]);
  b.addProcessor(rightNode, [r.node], tableTableJoinSupplier(l.store, rightCombine), [l.store]);
  b.addProcessor(merge, [leftNode, rightNode], passThrough);
  b.addCoPartitionGroup([...b.upstreamSources(left.name), ...b.upstreamSources(right.name)]);
  return new KTableImpl(b, merge, undefined, keySerde, undefined);
}

function streamStreamJoin(
  left: AnyStream,
  right: AnyStream,
  joiner: J,
  windows: JoinWindows,
  kind: Kind,
  joined: Joined<unknown, unknown, unknown> | undefined,
): AnyStream {
  if (windows?.type !== 'join') {
    throw new MillraceError(
      'MR_TOPOLOGY_INVALID',
      'a KStream-KStream join needs JoinWindows: pass JoinWindows.ofTimeDifferenceAndGrace(...)',
    );
  }
  const b = left.b;
  const name =
    joined?.name ??
    b.newName(
      kind === 'inner' ? 'KSTREAM-JOIN-' : kind === 'left' ? 'KSTREAM-LEFTJOIN-' : 'KSTREAM-OUTERJOIN-',
    );
  const keySerde = (joined?.keySerde as S | undefined) ?? left.keySerde ?? right.keySerde ?? jsonSerde();
  const leftValueSerde = (joined?.valueSerde as S | undefined) ?? left.valueSerde ?? jsonSerde();
  const rightValueSerde = (joined?.otherValueSerde as S | undefined) ?? right.valueSerde ?? jsonSerde();
  const leftParent = coPartitioned(left, `${name}-left`, keySerde, leftValueSerde);
  const rightParent = coPartitioned(right, `${name}-right`, keySerde, rightValueSerde);
  const retentionMs = windows.beforeMs + windows.afterMs + windows.graceMs + 1;
  const storeOf = (suffix: string, valueSerde: S): string => {
    const store = `${name}-${suffix}-store`;
    addInternalStore(b, store, keySerde, valueSerde, { kind: 'window', retentionMs, retainDuplicates: true });
    return store;
  };
  const leftStore = storeOf('this-join', leftValueSerde);
  const rightStore = storeOf('other-join', rightValueSerde);
  let outerStore: string | undefined;
  if (kind !== 'inner') {
    outerStore = `${name}-outer-shared-join-store`;
    addInternalStore(b, outerStore, bytesSerde() as S, bytesSerde() as S);
  }
  const spec: StreamJoinSpec = {
    name,
    windows,
    kind,
    leftStore,
    rightStore,
    outerStore,
    keySerde,
    leftValueSerde,
    rightValueSerde,
    joiner,
  };
  const stores = [leftStore, rightStore, ...(outerStore === undefined ? [] : [outerStore])];
  b.addProcessor(`${name}-this`, [leftParent], streamJoinSideSupplier(spec, 'left'), stores);
  b.addProcessor(`${name}-other`, [rightParent], streamJoinSideSupplier(spec, 'right'), stores);
  b.addProcessor(`${name}-merge`, [`${name}-this`, `${name}-other`], passThrough);
  b.addCoPartitionGroup([...b.upstreamSources(leftParent), ...b.upstreamSources(rightParent)]);
  return new KStreamImpl(b, `${name}-merge`, keySerde, undefined, false);
}
