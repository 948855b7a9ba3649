import type { KeyValueBytesStore } from '../key-value-bytes-store.ts';
import type { Serde } from '../serde.ts';
import type {
  SessionEntry,
  SessionStore,
  WindowEntry,
  WindowStore,
  WindowedStoreOptions,
} from '../window-store.ts';
import { SegmentedBytesStore } from './segmented-bytes-store.ts';

/**
 * Builds a typed window or session store over a bytes store stack (`inner` is the change-logging or
 * write-buffer layer the key-value builder would use).
 */
export function buildWindowedStore(
  inner: KeyValueBytesStore,
  keySerde: Serde<unknown>,
  valueSerde: Serde<unknown>,
  options: WindowedStoreOptions,
): WindowStore<unknown, unknown> | SessionStore<unknown, unknown> {
  const segments = new SegmentedBytesStore(inner, options.retentionMs, options.segmentIntervalMs);
  return options.kind === 'window'
    ? new WindowStoreImpl(segments, keySerde, valueSerde, options.retainDuplicates)
    : new SessionStoreImpl(segments, keySerde, valueSerde);
}

class WindowStoreImpl<K, V> implements WindowStore<K, V> {
  readonly kind = 'window';
  readonly name: string;
  readonly persistent: boolean;
  readonly retentionMs: number;
  readonly #s: SegmentedBytesStore;
  readonly #keySerde: Serde<K>;
  readonly #valueSerde: Serde<V>;
  readonly #duplicates: boolean;
  // Duplicates need distinct keys; a random start keeps a restarted task from overwriting older ones.
  #seq = Math.floor(Math.random() * 2 ** 31);

  constructor(s: SegmentedBytesStore, keySerde: Serde<K>, valueSerde: Serde<V>, duplicates: boolean) {
    this.#s = s;
    this.name = s.inner.name;
    this.persistent = s.inner.persistent;
    this.retentionMs = s.retentionMs;
    this.#keySerde = keySerde;
    this.#valueSerde = valueSerde;
    this.#duplicates = duplicates;
  }

  put(key: K, value: V | null, windowStart: number): void {
    const suffix = this.#duplicates ? this.#seq++ : 0;
    if (this.#duplicates && value === null) return; // KS: a null never deletes from a duplicates store
    this.#s.put(
      this.#keySerde.serialize(key),
      windowStart,
      suffix,
      value === null ? null : this.#valueSerde.serialize(value),
    );
  }

  fetchOne(key: K, windowStart: number): V | undefined {
    const bytes = this.#s.get(this.#keySerde.serialize(key), windowStart, 0);
    return bytes === undefined ? undefined : this.#valueSerde.deserialize(bytes);
  }

  async *fetch(
    key: K,
    from: number,
    to: number,
    options: { reverse?: boolean } = {},
  ): AsyncGenerator<WindowEntry<K, V>> {
    for await (const e of this.#s.fetch(this.#keySerde.serialize(key), from, to, options.reverse ?? false)) {
      yield { key, windowStart: e.time, value: this.#valueSerde.deserialize(e.value) };
    }
  }

  async *fetchAll(from: number, to: number): AsyncGenerator<WindowEntry<K, V>> {
    for await (const e of this.#s.fetchAll(from, to)) yield this.#entry(e.key, e.time, e.value);
  }

  async *all(): AsyncGenerator<WindowEntry<K, V>> {
    for await (const e of this.#s.all()) yield this.#entry(e.key, e.time, e.value);
  }

  observedStreamTimeMs(): number {
    return this.#s.observedTime;
  }

  expire(): void | Promise<void> {
    return this.#s.expire();
  }

  approximateNumEntries(): number {
    return this.#s.approximateNumEntries();
  }

  #entry(key: Uint8Array, windowStart: number, value: Uint8Array): WindowEntry<K, V> {
    return { key: this.#keySerde.deserialize(key), windowStart, value: this.#valueSerde.deserialize(value) };
  }
}

/** Sessions are keyed by end time (the segmenting time) with the start as suffix. */
class SessionStoreImpl<K, V> implements SessionStore<K, V> {
  readonly kind = 'session';
  readonly name: string;
  readonly persistent: boolean;
  readonly retentionMs: number;
  readonly #s: SegmentedBytesStore;
  readonly #keySerde: Serde<K>;
  readonly #valueSerde: Serde<V>;

  constructor(s: SegmentedBytesStore, keySerde: Serde<K>, valueSerde: Serde<V>) {
    this.#s = s;
    this.name = s.inner.name;
    this.persistent = s.inner.persistent;
    this.retentionMs = s.retentionMs;
    this.#keySerde = keySerde;
    this.#valueSerde = valueSerde;
  }

  put(key: K, start: number, end: number, value: V | null): void {
    this.#s.put(
      this.#keySerde.serialize(key),
      end,
      start,
      value === null ? null : this.#valueSerde.serialize(value),
    );
  }

  fetchSession(key: K, start: number, end: number): V | undefined {
    const bytes = this.#s.get(this.#keySerde.serialize(key), end, start);
    return bytes === undefined ? undefined : this.#valueSerde.deserialize(bytes);
  }

  async *findSessions(
    key: K,
    earliestSessionEnd: number,
    latestSessionStart: number,
  ): AsyncGenerator<SessionEntry<K, V>> {
    // A session ending after the latest write cannot exist, so the scan ends at the observed time.
    const to = Math.max(this.#s.observedTime, latestSessionStart);
    for await (const e of this.#s.fetch(this.#keySerde.serialize(key), earliestSessionEnd, to)) {
      if (e.suffix <= latestSessionStart) {
        yield { key, start: e.suffix, end: e.time, value: this.#valueSerde.deserialize(e.value) };
      }
    }
  }

  async *all(): AsyncGenerator<SessionEntry<K, V>> {
    for await (const e of this.#s.all()) {
      yield {
        key: this.#keySerde.deserialize(e.key),
        start: e.suffix,
        end: e.time,
        value: this.#valueSerde.deserialize(e.value),
      };
    }
  }

  expire(): void | Promise<void> {
    return this.#s.expire();
  }

  approximateNumEntries(): number {
    return this.#s.approximateNumEntries();
  }
}
