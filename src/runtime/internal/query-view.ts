import type { KeyValue, ReadOnlyKeyValueStore, ScanOptions } from '../../../state/types.ts';
import { MillraceError } from '../../errors/index.ts';
import type { StreamTask } from './stream-task.ts';

/**
 * A read-only view of one store over every local task that has it (Kafka Streams'
 * CompositeReadOnlyKeyValueStore): `get` asks each task's store (a key lives in exactly one partition),
 * scans concatenate the tasks' scans, partition by partition. Only RUNNING tasks are read: a restoring
 * store would answer with stale data.
 */
export function compositeStore<K, V>(
  name: string,
  tasks: () => Iterable<StreamTask>,
): ReadOnlyKeyValueStore<K, V> {
  const stores = () => {
    const out: ReadOnlyKeyValueStore<K, V>[] = [];
    for (const t of tasks()) {
      if (t.lifecycle.state !== 'RUNNING') continue;
      const s = t.getStore(name) as ReadOnlyKeyValueStore<K, V> | undefined;
      if (s) out.push(s);
    }
    return out;
  };
  const scan = (
    pick: (s: ReadOnlyKeyValueStore<K, V>) => AsyncIterable<KeyValue<K, V>>,
    options?: ScanOptions,
  ) =>
    (async function* () {
      let left = options?.limit ?? Infinity;
      for (const s of stores()) {
        for await (const kv of pick(s)) {
          if (left-- <= 0) return;
          yield kv;
        }
      }
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
