import type { KeyValueStore } from '../../../../state/types.ts';
import type { WindowStore } from '../../../../state/window-store.ts';
import type { ProcessorContext } from '../../../processor/processor-context.ts';
import type { ProcessorSupplier } from '../../../processor/processor.ts';
import type { StreamRecord } from '../../../processor/record.ts';
import type { Serde } from '../../../serdes/serde.ts';
import { sequence } from '../../../processor/internal/sequence.ts';
import type { JoinWindows } from '../../windows.ts';
import { dropRecord } from './dropped-records.ts';
import { hasNullKeyOrValue } from './nullish.ts';

type AnySupplier = ProcessorSupplier<unknown, unknown, unknown, unknown>;

/** Stream time shared by the two sides of one join in one task (Kafka Streams' `TimeTracker`). */
const sharedTime = new WeakMap<object, { streamTime: number }>();

/** What both sides of a stream-stream join share. */
export interface StreamJoinSpec {
  readonly name: string;
  readonly windows: JoinWindows;
  readonly kind: 'inner' | 'left' | 'outer';
  readonly leftStore: string;
  readonly rightStore: string;
  /** Non-joined records waiting for their window to close (left and outer joins). */
  readonly outerStore: string | undefined;
  readonly keySerde: Serde<unknown>;
  readonly leftValueSerde: Serde<unknown>;
  readonly rightValueSerde: Serde<unknown>;
  readonly joiner: (left: unknown, right: unknown) => unknown;
}

/**
 * Outer-store key (bytes), ordered by time so the closed ones are a prefix:
 * ```
 * [timestamp: uint64 BE][side: 0 left, 1 right][key length: uint32 BE][key bytes][sequence: uint32 BE]
 * ```
 */
function outerKey(ts: number, side: number, key: Uint8Array, seq: number): Uint8Array {
  const out = new Uint8Array(8 + 1 + 4 + key.byteLength + 4);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(ts));
  out[8] = side;
  view.setUint32(9, key.byteLength);
  out.set(key, 13);
  view.setUint32(13 + key.byteLength, seq >>> 0);
  return out;
}

/**
 * One side of a windowed KStream-KStream join (Kafka Streams' `KStreamKStreamJoin`). A record at t of this
 * side is stored, then joined with every record of the other side in `[t - before, t + after]` (from the
 * other side's view, mirrored), in time order. Left/outer joins do not emit `[value, null]` eagerly (the
 * "spurious" results of old versions): a non-joined record waits in the outer store and is emitted only once
 * `t + (after for left, before for right) + grace < streamTime`, unless a later record joins it first.
 * Records older than `streamTime - (before + after + grace)` are late: counted and dropped.
 */
export function streamJoinSideSupplier(spec: StreamJoinSpec, side: 'left' | 'right'): AnySupplier {
  const w = spec.windows;
  const isLeft = side === 'left';
  const emitsUnjoinedThis = spec.kind === 'outer' || (spec.kind === 'left' && isLeft);
  const emitsUnjoinedOther = spec.kind === 'outer' || (spec.kind === 'left' && !isLeft);
  return () => {
    let context: ProcessorContext<unknown, unknown>;
    let mine: WindowStore<unknown, unknown>;
    let other: WindowStore<unknown, unknown>;
    let outer: KeyValueStore<Uint8Array, Uint8Array> | undefined;
    let time: { streamTime: number };
    let seq = Math.floor(Math.random() * 2 ** 31);

    async function process(record: StreamRecord<unknown, unknown>): Promise<void> {
      const t = record.timestamp;
      const [from, to] = isLeft ? [t - w.beforeMs, t + w.afterMs] : [t - w.afterMs, t + w.beforeMs];
      mine.put(record.key, record.value, t);
      const keyBytes = spec.keySerde.serialize(record.key);
      let joined = false;
      const out: StreamRecord<unknown, unknown>[] = [];
      for await (const m of other.fetch(record.key, from, to)) {
        joined = true;
        const value = isLeft ? spec.joiner(record.value, m.value) : spec.joiner(m.value, record.value);
        out.push({ ...record, value, timestamp: Math.max(t, m.windowStart) });
        if (outer !== undefined && emitsUnjoinedOther)
          await forgetOuter(m.windowStart, isLeft ? 1 : 0, keyBytes);
      }
      if (!joined && outer !== undefined && emitsUnjoinedThis) {
        const serde = isLeft ? spec.leftValueSerde : spec.rightValueSerde;
        outer.put(outerKey(t, isLeft ? 0 : 1, keyBytes, seq++), serde.serialize(record.value));
      }
      await sequence(out, (r) => context.forward(r));
      await emitClosed(record);
      await mine.expire();
    }

    async function forgetOuter(ts: number, side: number, keyBytes: Uint8Array): Promise<void> {
      const prefix = outerKey(ts, side, keyBytes, 0).subarray(0, 13 + keyBytes.byteLength);
      const doomed: Uint8Array[] = [];
      for await (const e of (outer as KeyValueStore<Uint8Array, Uint8Array>).prefixScan(prefix))
        doomed.push(e.key);
      for (const k of doomed) outer?.delete(k);
    }

    async function emitClosed(record: StreamRecord<unknown, unknown>): Promise<void> {
      if (outer === undefined) return;
      const st = time.streamTime;
      const due: { key: Uint8Array; value: Uint8Array; ts: number; side: number }[] = [];
      for await (const e of outer.all()) {
        const view = new DataView(e.key.buffer, e.key.byteOffset, e.key.byteLength);
        const ts = Number(view.getBigUint64(0));
        if (ts + Math.min(w.afterMs, w.beforeMs) + w.graceMs >= st) break; // nothing later can be closed
        const side = e.key[8] as number;
        const lookback = side === 0 ? w.afterMs : w.beforeMs;
        if (ts + lookback + w.graceMs < st) due.push({ key: e.key, value: e.value, ts, side });
      }
      for (const d of due) {
        outer.delete(d.key);
        const len = new DataView(d.key.buffer, d.key.byteOffset).getUint32(9);
        const key = spec.keySerde.deserialize(d.key.subarray(13, 13 + len));
        const value =
          d.side === 0
            ? spec.joiner(spec.leftValueSerde.deserialize(d.value), null)
            : spec.joiner(null, spec.rightValueSerde.deserialize(d.value));
        await context.forward({ key, value, timestamp: d.ts, headers: record.headers });
      }
    }

    return {
      init(c) {
        context = c;
        mine = c.getStateStore(isLeft ? spec.leftStore : spec.rightStore);
        other = c.getStateStore(isLeft ? spec.rightStore : spec.leftStore);
        outer = spec.outerStore === undefined ? undefined : c.getStateStore(spec.outerStore);
        const anchor = isLeft ? mine : other; // the left store instance: one per task, seen by both sides
        time = sharedTime.get(anchor) ?? { streamTime: -1 };
        sharedTime.set(anchor, time);
      },
      process(record) {
        if (hasNullKeyOrValue(record)) return undefined;
        time.streamTime = Math.max(time.streamTime, record.timestamp);
        if (record.timestamp < time.streamTime - (w.beforeMs + w.afterMs + w.graceMs))
          return dropRecord(context, spec.name, record, undefined);
        return process(record);
      },
    };
  };
}
