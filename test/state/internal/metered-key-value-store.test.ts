import { describe, expect, it } from 'vitest';
import { createMemoryBackend } from '../../../state/memory/index.ts';
import { Stores } from '../../../state/store-builder.ts';
import type { StoreOperation } from '../../../state/store-metrics.ts';
import { jsonSerde, stringSerde } from '../../../state/serde.ts';
import { createWriteBuffer } from '../../../state/write-buffer.ts';

function setup() {
  const observed: { store: string; operation: StoreOperation; latencyMs: number }[] = [];
  const store = Stores.keyValueStoreBuilder('m', stringSerde(), jsonSerde<number>())
    .withLoggingDisabled()
    .build({
      writeBuffer: createWriteBuffer(createMemoryBackend()),
      metrics: {
        record: (s, operation, latencyMs) => void observed.push({ store: s, operation, latencyMs }),
      },
    });
  return { store, observed, ops: () => observed.map((o) => o.operation) };
}

describe('metered layer', () => {
  it('reports one observation per operation, named as Kafka Streams names them', async () => {
    const { store, observed, ops } = setup();
    store.put('a', 1);
    store.get('a');
    store.putIfAbsent('b', 2);
    store.putAll([{ key: 'c', value: 3 }]);
    store.delete('c');
    store.approximateNumEntries();
    for await (const _ of store.range('a', 'b')) void _;
    for await (const _ of store.prefixScan('a')) void _;
    for await (const _ of store.all()) void _;
    expect(ops()).toEqual([
      'put',
      'get',
      'put-if-absent',
      'put-all',
      'delete',
      'approximate-num-entries',
      'range',
      'prefix-scan',
      'all',
    ]);
    expect(observed.every((o) => o.store === 'm' && o.latencyMs >= 0)).toBe(true);
  });

  it('reports a scan abandoned early, and a failed operation', async () => {
    const { store, ops } = setup();
    store.put('a', 1);
    store.put('b', 2);
    for await (const _ of store.all()) break;
    expect(() => store.put('', 1)).toThrow();
    expect(ops()).toEqual(['put', 'put', 'all', 'put']);
  });

  it('is left out when the task gives no metrics', () => {
    const store = Stores.keyValueStoreBuilder('m', stringSerde(), stringSerde())
      .withLoggingDisabled()
      .build({ writeBuffer: createWriteBuffer(createMemoryBackend()) });
    expect(store.constructor.name).toBe('SerdeKeyValueStore');
  });
});
