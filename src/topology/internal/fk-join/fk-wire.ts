import { createHash } from 'node:crypto';
import { MillraceError } from '../../../errors/index.ts';
import type { Serde } from '../../../serdes/serde.ts';

/**
 * The records a foreign-key KTable-KTable join sends through its two internal topics (Kafka Streams'
 * `SubscriptionWrapper` and `SubscriptionResponseWrapper`, KIP-213), and its subscription store keys.
 *
 * Instructions of a subscription (what the right side does with it):
 * 0 DELETE_KEY_AND_PROPAGATE              unsubscribe; answer with a null foreign value (the left row is gone)
 * 1 DELETE_KEY_NO_PROPAGATE               unsubscribe silently (the left row moved to another foreign key)
 * 2 PROPAGATE_NULL_IF_NO_FK_VAL_AVAILABLE subscribe; answer with the foreign value, null when there is none
 * 3 PROPAGATE_ONLY_IF_FK_VAL_AVAILABLE    subscribe; answer only when there is a foreign value
 */
export const DELETE_KEY_AND_PROPAGATE = 0;
export const DELETE_KEY_NO_PROPAGATE = 1;
export const PROPAGATE_NULL_IF_NO_FK_VAL_AVAILABLE = 2;
export const PROPAGATE_ONLY_IF_FK_VAL_AVAILABLE = 3;
export type Instruction = 0 | 1 | 2 | 3;

/** 16 bytes that identify a left value (first half of its SHA-256), or null for no value. */
export type ValueHash = Uint8Array | null;

const HASH_BYTES = 16;

/** The hash of a left value's serialized bytes: a response is applied only if it still matches. */
export function valueHash(valueSerde: Serde<unknown>, value: unknown): ValueHash {
  if (value === null || value === undefined) return null;
  return new Uint8Array(
    createHash('sha256').update(valueSerde.serialize(value)).digest().subarray(0, HASH_BYTES),
  );
}

export function sameHash(a: ValueHash, b: ValueHash): boolean {
  if (a === null || b === null) return a === b;
  return a.byteLength === b.byteLength && a.every((x, i) => x === b[i]);
}

/** A subscription, keyed by the foreign key on the registration topic. */
export interface Subscription {
  readonly instruction: Instruction;
  readonly hash: ValueHash;
  readonly primaryKey: unknown;
}

/** A response, keyed by the primary key on the response topic. */
export interface SubscriptionResponse {
  readonly hash: ValueHash;
  readonly foreignValue: unknown;
}

function corrupt(what: string): MillraceError {
  return new MillraceError(
    'MR_SERDE',
    `a foreign-key join ${what} is malformed: its internal topic holds foreign data; reset the application`,
  );
}

/**
 * Subscription value:
 * ```
 * offset  size  field
 * 0       1     version (0)
 * 1       1     instruction (0-3, see above)
 * 2       1     1 when a hash follows, else 0
 * 3       16    hash of the left value (only when present)
 * 3|19    n     primary key, serialized by the left table's key serde
 * ```
 */
export function subscriptionSerde(primaryKeySerde: Serde<unknown>): Serde<Subscription> {
  return {
    serialize(s) {
      const pk = primaryKeySerde.serialize(s.primaryKey);
      const h = s.hash === null ? 0 : HASH_BYTES;
      const out = new Uint8Array(3 + h + pk.byteLength);
      out[0] = 0;
      out[1] = s.instruction;
      out[2] = s.hash === null ? 0 : 1;
      if (s.hash !== null) out.set(s.hash, 3);
      out.set(pk, 3 + h);
      return out;
    },
    deserialize(bytes) {
      if (bytes.byteLength < 3 || bytes[0] !== 0 || (bytes[1] ?? 9) > 3) throw corrupt('subscription');
      const hasHash = bytes[2] === 1;
      const start = 3 + (hasHash ? HASH_BYTES : 0);
      if (bytes.byteLength < start) throw corrupt('subscription');
      return {
        instruction: bytes[1] as Instruction,
        hash: hasHash ? bytes.slice(3, start) : null,
        primaryKey: primaryKeySerde.deserialize(bytes.subarray(start)),
      };
    },
  };
}

/**
 * Response value:
 * ```
 * offset  size  field
 * 0       1     flags: bit 0 = a hash follows, bit 1 = a foreign value follows
 * 1       16    hash of the left value the subscription was made for (only when bit 0)
 * 1|17    n     foreign value, serialized by the right table's value serde (only when bit 1)
 * ```
 */
export function responseSerde(foreignValueSerde: Serde<unknown>): Serde<SubscriptionResponse> {
  return {
    serialize(r) {
      const hasValue = r.foreignValue !== null && r.foreignValue !== undefined;
      const v = hasValue ? foreignValueSerde.serialize(r.foreignValue) : new Uint8Array(0);
      const h = r.hash === null ? 0 : HASH_BYTES;
      const out = new Uint8Array(1 + h + v.byteLength);
      out[0] = (r.hash === null ? 0 : 1) | (hasValue ? 2 : 0);
      if (r.hash !== null) out.set(r.hash, 1);
      out.set(v, 1 + h);
      return out;
    },
    deserialize(bytes) {
      const flags = bytes[0];
      if (flags === undefined || flags > 3) throw corrupt('response');
      const start = 1 + (flags & 1 ? HASH_BYTES : 0);
      if (bytes.byteLength < start) throw corrupt('response');
      return {
        hash: flags & 1 ? bytes.slice(1, start) : null,
        foreignValue: flags & 2 ? foreignValueSerde.deserialize(bytes.subarray(start)) : null,
      };
    },
  };
}

/**
 * Subscription store key: `[foreign key length: uint32 BE][foreign key bytes][primary key bytes]`, so all
 * subscribers of one foreign key are one prefix scan (`subscriptionPrefix`). Value: the 16-byte hash.
 */
export function subscriptionKey(fk: Uint8Array, pk: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + fk.byteLength + pk.byteLength);
  new DataView(out.buffer).setUint32(0, fk.byteLength);
  out.set(fk, 4);
  out.set(pk, 4 + fk.byteLength);
  return out;
}

export function subscriptionPrefix(fk: Uint8Array): Uint8Array {
  return subscriptionKey(fk, new Uint8Array(0));
}

/** The primary key bytes of a subscription store key. */
export function primaryKeyOf(key: Uint8Array): Uint8Array {
  const n = new DataView(key.buffer, key.byteOffset, key.byteLength).getUint32(0);
  return key.subarray(4 + n);
}
