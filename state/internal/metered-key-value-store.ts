import type { StoreMetrics, StoreOperation } from '../store-metrics.ts';
import type { KeyValue, KeyValueStore, ScanOptions } from '../types.ts';

/** The outermost layer: times every operation (serdes included, as in Kafka Streams) and reports it. */
export class MeteredKeyValueStore<K, V> implements KeyValueStore<K, V> {
  readonly name: string;
  readonly persistent: boolean;
  readonly #inner: KeyValueStore<K, V>;
  readonly #metrics: StoreMetrics;

  constructor(inner: KeyValueStore<K, V>, metrics: StoreMetrics) {
    this.name = inner.name;
    this.persistent = inner.persistent;
    this.#inner = inner;
    this.#metrics = metrics;
  }

  get(key: K): V | undefined {
    return this.#time('get', () => this.#inner.get(key));
  }

  put(key: K, value: V): void {
    this.#time('put', () => this.#inner.put(key, value));
  }

  putIfAbsent(key: K, value: V): V | undefined {
    return this.#time('put-if-absent', () => this.#inner.putIfAbsent(key, value));
  }

  putAll(entries: Iterable<KeyValue<K, V>>): void {
    this.#time('put-all', () => this.#inner.putAll(entries));
  }

  delete(key: K): V | undefined {
    return this.#time('delete', () => this.#inner.delete(key));
  }

  range(from: K | undefined, to: K | undefined, options?: ScanOptions): AsyncIterable<KeyValue<K, V>> {
    return this.#timeScan('range', () => this.#inner.range(from, to, options));
  }

  prefixScan(prefix: K, options?: ScanOptions): AsyncIterable<KeyValue<K, V>> {
    return this.#timeScan('prefix-scan', () => this.#inner.prefixScan(prefix, options));
  }

  all(options?: ScanOptions): AsyncIterable<KeyValue<K, V>> {
    return this.#timeScan('all', () => this.#inner.all(options));
  }

  approximateNumEntries(): number {
    return this.#time('approximate-num-entries', () => this.#inner.approximateNumEntries());
  }

  /** Failed operations are reported too: their latency is real work. */
  #time<T>(operation: StoreOperation, run: () => T): T {
    const start = performance.now();
    try {
      return run();
    } finally {
      this.#metrics.record(this.name, operation, performance.now() - start);
    }
  }

  async *#timeScan(
    operation: StoreOperation,
    open: () => AsyncIterable<KeyValue<K, V>>,
  ): AsyncGenerator<KeyValue<K, V>> {
    const start = performance.now();
    try {
      yield* open();
    } finally {
      this.#metrics.record(this.name, operation, performance.now() - start);
    }
  }
}
