import { MillraceError } from '../../errors/index.ts';
import type { Change } from '../../processor/change.ts';
import type { Serde } from '../../serdes/serde.ts';

/*
 * Wire format of a Change on a KTable repartition topic (what KGroupedTable sends to its aggregation):
 *
 *   byte 0        flags: bit 0 = has new value, bit 1 = has old value
 *   bytes 1..4    uint32 BE: length N of the new value's bytes (0 when absent)
 *   bytes 5..5+N  the new value, serialized by the inner serde
 *   the rest      the old value, serialized by the inner serde (empty when absent)
 */

/** Serializes `Change<V>` with `inner` for both sides. */
export function changeSerde<V>(inner: Serde<V>): Serde<Change<V>> {
  return {
    serialize(change) {
      const hasNew = change.newValue !== null && change.newValue !== undefined;
      const hasOld = change.oldValue !== null && change.oldValue !== undefined;
      const n = hasNew ? inner.serialize(change.newValue as V) : new Uint8Array(0);
      const o = hasOld ? inner.serialize(change.oldValue as V) : new Uint8Array(0);
      const out = new Uint8Array(5 + n.byteLength + o.byteLength);
      out[0] = (hasNew ? 1 : 0) | (hasOld ? 2 : 0);
      new DataView(out.buffer).setUint32(1, n.byteLength, false);
      out.set(n, 5);
      out.set(o, 5 + n.byteLength);
      return out;
    },
    deserialize(bytes) {
      if (bytes.byteLength < 5) {
        throw new MillraceError(
          'MR_SERDE',
          'a repartitioned table change is shorter than 5 bytes: the repartition topic holds foreign data; reset the application',
        );
      }
      const flags = bytes[0] ?? 0;
      const n = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(1, false);
      return {
        newValue: flags & 1 ? inner.deserialize(bytes.subarray(5, 5 + n)) : null,
        oldValue: flags & 2 ? inner.deserialize(bytes.subarray(5 + n)) : null,
      };
    },
  };
}
