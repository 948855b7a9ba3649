import type { KeyValue, ReadOnlyKeyValueStore, ScanOptions } from '../../../state/types.ts';
import { MillraceError } from '../../errors/index.ts';
import { mergeSorted } from './query-merge.ts';
import type { StreamTask } from './stream-task.ts';

/** The local task stores named `name`, of RUNNING tasks only (a restoring store would answer stale data). */
export function runningStores<S>(name: string, tasks: () => Iterable<StreamTask>): S[] {
  const out: S[] = [];
  for (const t of tasks()) {
    if (t.lifecycle.state !== 'RUNNING') continue;
    const s = t.getStore(name) as S | undefined;
    if (s) out.push(s);
  }
  return out;
}

/**
 * A read-only view of one store over every local task that has it (Kafka Streams'
 * CompositeReadOnlyKeyValueStore): `get` asks each task's store (a key lives in exactly one partition);
 * scans are a k-way merge of the tasks' scans by serialized key bytes (each task's scan is already in that
 * order), so the view is ordered like one store and a `limit` stops reading early. Only RUNNING tasks are
 * read.
 *
 * `keyBytes` serializes a key with the store's key serde: the order of the bytes is the store's order.
 */
export function compositeStore<K, V>(
  name: string,
  tasks: () => Iterable<StreamTask>,
  keyBytes: (key: K) => Uint8Array,
): ReadOnlyKeyValueStore<K, V> {
  const stores = () => runningStores<ReadOnlyKeyValueStore<K, V>>(name, tasks);
  const scan = (
    pick: (s: ReadOnlyKeyValueStore<K, V>) => AsyncIterable<KeyValue<K, V>>,
    options?: ScanOptions,
  ): AsyncIterable<KeyValue<K, V>> =>
    (async function* () {
      const sign = options?.reverse ? -1 : 1;
      const withBytes = (s: ReadOnlyKeyValueStore<K, V>) =>
        (async function* () {
          for await (const kv of pick(s)) yield { kv, bytes: keyBytes(kv.key) };
        })();
      const merged = mergeSorted(
        stores().map(withBytes),
        (a, b) => sign * Buffer.compare(a.bytes, b.bytes),
        options?.limit ?? Infinity,
      );
      for await (const e of merged) yield e.kv;
    })();
  return {
    name,
    persistent: true,
    get(key) {
      for (const s of stores()) {
        const v = s.get(key);
        if (v !== undefined) return v;
      }
      return undefined;
    },
    range: (from, to, options) => scan((s) => s.range(from, to, options), options),
    prefixScan: (prefix, options) => scan((s) => s.prefixScan(prefix, options), options),
    all: (options) => scan((s) => s.all(options), options),
    approximateNumEntries() {
      let n = 0;
      for (const s of stores()) n += s.approximateNumEntries();
      return n;
    },
  };
}

export function unknownStore(name: string, known: readonly string[]): MillraceError {
  return new MillraceError(
    'MR_STORE_NOT_QUERYABLE',
    `no store named "${name}" in this topology (stores: ${known.join(', ') || 'none'})`,
  );
}
