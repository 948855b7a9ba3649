/** Null or undefined: a tombstone, or a key or value Kafka Streams' DSL processors treat as null. */
export function isNull(v: unknown): v is null | undefined {
  return v === null || v === undefined;
}

/** A record that aggregations and joins drop, as Kafka Streams does: its key or its value is null. */
export function hasNullKeyOrValue(record: { readonly key: unknown; readonly value: unknown }): boolean {
  return isNull(record.key) || isNull(record.value);
}
