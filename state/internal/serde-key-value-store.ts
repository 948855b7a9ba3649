import { isMillraceError, MillraceError } from '../../src/errors/index.ts';
import { readTransient, type BytesScanOptions } from '../backend.ts';
import type { KeyValueBytesStore } from '../key-value-bytes-store.ts';
import type { Serde } from '../serde.ts';
import type { KeyValue, KeyValueStore, ScanOptions } from '../types.ts';
import { prefixEnd } from './bytes.ts';

/** The typed layer: applies the key and value serdes around a bytes store. */
export class SerdeKeyValueStore<K, V> implements KeyValueStore<K, V> {
  readonly name: string;
  readonly persistent: boolean;
  readonly #inner: KeyValueBytesStore;
  readonly #keySerde: Serde<K>;
  readonly #valueSerde: Serde<V>;
  readonly #transientOk: boolean;
  #lastKey: unknown;
  #lastKeyBytes: Uint8Array | undefined;

  constructor(inner: KeyValueBytesStore, keySerde: Serde<K>, valueSerde: Serde<V>) {
    this.name = inner.name;
    this.persistent = inner.persistent;
    this.#inner = inner;
    this.#keySerde = keySerde;
    this.#valueSerde = valueSerde;
    this.#transientOk = valueSerde.keepsNoBytes === true;
  }

  get(key: K): V | undefined {
    // A serde that decodes at once may read LMDB's reused buffer: no copy of the value.
    const k = this.#key(key);
    return this.#value(this.#transientOk ? readTransient(this.#inner, k) : this.#inner.get(k));
  }

  put(key: K, value: V): void {
    this.#inner.put(this.#key(key), this.#serializeValue(value));
  }

  putIfAbsent(key: K, value: V): V | undefined {
    return this.#value(this.#inner.putIfAbsent(this.#key(key), this.#serializeValue(value)));
  }

  putAll(entries: Iterable<KeyValue<K, V>>): void {
    // Serialize everything first, so a bad entry leaves no partial putAll behind.
    const bytes = [...entries].map(({ key, value }) => ({
      key: this.#key(key),
      value: this.#serializeValue(value),
    }));
    this.#inner.putAll(bytes);
  }

  delete(key: K): V | undefined {
    return this.#value(this.#inner.delete(this.#key(key)));
  }

  range(from: K | undefined, to: K | undefined, options: ScanOptions = {}): AsyncIterable<KeyValue<K, V>> {
    const bounds: BytesScanOptions = { ...options };
    if (from !== undefined) bounds.gte = this.#key(from);
    if (to !== undefined) bounds.lte = this.#key(to);
    return this.#scan(bounds);
  }

  prefixScan(prefix: K, options: ScanOptions = {}): AsyncIterable<KeyValue<K, V>> {
    const p = this.#keySerde.serialize(prefix);
    const end = prefixEnd(p);
    return this.#scan({ ...options, gte: p, ...(end === undefined ? {} : { lt: end }) });
  }

  all(options: ScanOptions = {}): AsyncIterable<KeyValue<K, V>> {
    return this.#scan({ ...options });
  }

  approximateNumEntries(): number {
    return this.#inner.approximateNumEntries();
  }

  async *#scan(options: BytesScanOptions): AsyncGenerator<KeyValue<K, V>> {
    for await (const { key, value } of this.#inner.scan(options)) {
      yield {
        key: this.#serde(() => this.#keySerde.deserialize(key), 'deserialize a key'),
        value: this.#value(value) as V,
      };
    }
  }

  #key(key: K): Uint8Array {
    // A processor usually reads a key and then writes it (get → put): remember the last string key's bytes.
    // Safe because serialized keys are never mutated by the layers below (they are map keys and LMDB keys).
    if (typeof key === 'string' && key === this.#lastKey) return this.#lastKeyBytes!;
    const bytes = this.#serde(() => this.#keySerde.serialize(key), 'serialize a key');
    if (typeof key === 'string') {
      this.#lastKey = key;
      this.#lastKeyBytes = bytes;
    }
    return bytes;
  }

  #serializeValue(value: V): Uint8Array {
    return this.#serde(() => this.#valueSerde.serialize(value), 'serialize a value');
  }

  #value(bytes: Uint8Array | undefined): V | undefined {
    return bytes === undefined
      ? undefined
      : this.#serde(() => this.#valueSerde.deserialize(bytes), 'deserialize a value');
  }

  #serde<T>(run: () => T, what: string): T {
    try {
      return run();
    } catch (cause) {
      if (isMillraceError(cause)) throw cause;
      throw new MillraceError(
        'MR_SERDE',
        `store "${this.name}" could not ${what}: check the serdes of this store`,
        {
          cause,
        },
      );
    }
  }
}
