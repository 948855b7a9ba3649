/**
 * What a KTable forwards downstream: the new value of a key and the value it replaces (Kafka Streams'
 * `Change`). `null` means "no value" (absent, or deleted by a tombstone). Aggregations of a re-keyed table
 * subtract `oldValue` from its old group and add `newValue` to its new one.
 *
 * @example
 * ```ts
 * const change: Change<number> = { newValue: 3, oldValue: 2 };
 * ```
 */
export interface Change<V> {
  readonly newValue: V | null;
  readonly oldValue: V | null;
}
