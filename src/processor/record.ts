/** One Kafka record header. Keys may repeat; order is kept. */
export interface Header {
  key: string;
  value: Uint8Array | null;
}

/** The headers of a record, in order. */
export type Headers = readonly Header[];

/**
 * A record flowing through a topology (Kafka Streams' `Record`; named `StreamRecord` because `Record` is a
 * TypeScript built-in type). A `null` value is a tombstone: it deletes the key in tables and stores.
 *
 * @example
 * ```ts
 * context.forward({ ...record, value: record.value.toUpperCase() });
 * ```
 */
export interface StreamRecord<K, V> {
  readonly key: K;
  readonly value: V;
  /** Event time, milliseconds since the epoch. */
  readonly timestamp: number;
  readonly headers: Headers;
}

/** Where the record being processed came from (Kafka Streams' `RecordMetadata`). */
export interface RecordMetadata {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly headers: Headers;
}
