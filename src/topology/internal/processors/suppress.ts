import type { KeyValueStore } from '../../../../state/types.ts';
import type { Change } from '../../../processor/change.ts';
import type { ProcessorContext } from '../../../processor/processor-context.ts';
import type { ProcessorSupplier } from '../../../processor/processor.ts';
import type { Serde } from '../../../serdes/serde.ts';
import type { Windowed } from '../../windows.ts';

type AnySupplier = ProcessorSupplier<unknown, unknown, unknown, unknown>;

/**
 * Emits each window's final result once, when the window closes (Kafka Streams'
 * `suppress(Suppressed.untilWindowCloses(...))` and `emitStrategy(onWindowClose)`). Updates wait in a
 * logged key-value buffer store, so they survive restarts (the buffer is restored from its changelog).
 *
 * Buffer entry layout (bytes):
 * ```
 * key:   [window end + closeOffset: uint64 big-endian][serialized Windowed<K> key]   -- time-ordered: eviction is a prefix scan
 * value: [record timestamp: float64 big-endian][serialized value]
 * ```
 * A window is closed, and emitted as `Change{final, null}`, once `end + closeOffset <= streamTime - grace`
 * (stream time: the task's, or the largest timestamp this processor has seen if larger; closeOffset is `gap + 1` for sessions, which
 * can grow until then, else 0). A tombstone (a session merged away) removes the window from the buffer.
 */
export function suppressSupplier(
  bufferStoreName: string,
  graceMs: number,
  closeOffsetMs: number,
  keySerde: Serde<Windowed<unknown>>,
  valueSerde: Serde<unknown>,
): AnySupplier {
  return () => {
    let context: ProcessorContext<unknown, unknown>;
    let buffer: KeyValueStore<Uint8Array, Uint8Array>;
    let observed = -1;
    // The smallest buffered window end, when known; -Infinity after a restart (scan once to learn it).
    let minEnd = -Infinity;

    const closeEnd = (w: Windowed<unknown>): number => w.window.end + closeOffsetMs;

    async function evict(limit: number): Promise<void> {
      const due: { key: Uint8Array; value: Uint8Array }[] = [];
      let next = Infinity;
      // Keys start with the window end (big-endian), so the scan is in close order and stops at the first open one.
      for await (const e of buffer.all()) {
        const end = Number(new DataView(e.key.buffer, e.key.byteOffset, 8).getBigUint64(0));
        if (end > limit) {
          next = end;
          break;
        }
        due.push(e);
      }
      minEnd = next;
      for (const e of due) {
        buffer.delete(e.key);
        const view = new DataView(e.value.buffer, e.value.byteOffset, e.value.byteLength);
        await context.forward({
          key: keySerde.deserialize(e.key.subarray(8)),
          value: { newValue: valueSerde.deserialize(e.value.subarray(8)), oldValue: null },
          timestamp: view.getFloat64(0),
          headers: [],
        });
      }
    }

    return {
      init(c) {
        context = c;
        buffer = c.getStateStore(bufferStoreName);
      },
      process(record) {
        observed = Math.max(observed, record.timestamp, context.currentStreamTimeMs());
        const w = record.key as Windowed<unknown>;
        const change = record.value as Change<unknown>;
        const keyBytes = keySerde.serialize(w);
        const k = new Uint8Array(8 + keyBytes.byteLength);
        new DataView(k.buffer).setBigUint64(0, BigInt(closeEnd(w)));
        k.set(keyBytes, 8);
        if (change.newValue === null || change.newValue === undefined) buffer.delete(k);
        else {
          const v = valueSerde.serialize(change.newValue);
          const bytes = new Uint8Array(8 + v.byteLength);
          new DataView(bytes.buffer).setFloat64(0, record.timestamp);
          bytes.set(v, 8);
          buffer.put(k, bytes);
          minEnd = Math.min(minEnd, closeEnd(w));
        }
        const limit = observed - graceMs;
        return minEnd <= limit ? evict(limit) : undefined;
      },
    };
  };
}
