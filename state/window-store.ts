import type { Serde } from './serde.ts';
import type { StateStore } from './types.ts';

/**
 * Window and session stores (Kafka Streams' `WindowStore`/`SessionStore`): values per (key, time window),
 * kept for a retention period measured in stream time, then deleted segment by segment. Both are built by
 * {@link buildWindowedStore} over the same layers as key-value stores (write buffer, change-logging,
 * backend), so they are buffered, logged to `<app>-<store>-changelog` and restored like any other store.
 *
 * @example
 * ```ts
 * const store = context.getStateStore<WindowStore<string, number>>('counts-per-minute');
 * store.put('patient-1', 3, 60_000);               // window [60000, 120000)
 * for await (const w of store.fetch('patient-1', 0, 120_000)) console.log(w.windowStart, w.value);
 * await store.expire();                             // drop windows older than the retention
 * ```
 */
export interface WindowStore<K, V> extends StateStore {
  readonly kind: 'window';
  readonly retentionMs: number;
  /** Puts (or deletes with null) the value of the window of `key` starting at `windowStart`. */
  put(key: K, value: V | null, windowStart: number): void;
  /** The value of one window (the first one, when duplicates are retained). */
  fetchOne(key: K, windowStart: number): V | undefined;
  /** The windows of `key` with `from <= windowStart <= to`, by start time: a range scan. */
  fetch(key: K, from: number, to: number, options?: { reverse?: boolean }): AsyncIterable<WindowEntry<K, V>>;
  /** The windows of every key with `from <= windowStart <= to`: one range scan over the segments. */
  fetchAll(from: number, to: number): AsyncIterable<WindowEntry<K, V>>;
  all(): AsyncIterable<WindowEntry<K, V>>;
  /** The largest window start written so far (-1 before any). */
  observedStreamTimeMs(): number;
  /** Deletes expired segments; returns undefined (no promise) when there are none. */
  expire(): void | Promise<void>;
  approximateNumEntries(): number;
}

/** A window of a window store, with its key and value. */
export interface WindowEntry<K, V> {
  readonly key: K;
  readonly windowStart: number;
  readonly value: V;
}

/** A session (Kafka Streams' `Windowed<K>` with a `SessionWindow`): both bounds inclusive. */
export interface SessionEntry<K, V> {
  readonly key: K;
  readonly start: number;
  readonly end: number;
  readonly value: V;
}

/**
 * A session store: sessions per key, keyed by their end time.
 *
 * @example
 * ```ts
 * for await (const s of sessions.findSessions('user-1', t - gap, t + gap)) merged.push(s);
 * ```
 */
export interface SessionStore<K, V> extends StateStore {
  readonly kind: 'session';
  readonly retentionMs: number;
  put(key: K, start: number, end: number, value: V | null): void;
  fetchSession(key: K, start: number, end: number): V | undefined;
  /** Sessions of `key` with `end >= earliestSessionEnd` and `start <= latestSessionStart`. */
  findSessions(
    key: K,
    earliestSessionEnd: number,
    latestSessionStart: number,
  ): AsyncIterable<SessionEntry<K, V>>;
  all(): AsyncIterable<SessionEntry<K, V>>;
  expire(): void | Promise<void>;
  approximateNumEntries(): number;
}

/** How a window or session store is laid out; carried by the store spec of a compiled topology. */
export interface WindowedStoreOptions {
  readonly kind: 'window' | 'session';
  /** Stream time for which a window is kept after its start (window) or end (session). */
  readonly retentionMs: number;
  /** Keep every put of the same key and time (stream-stream join buffers); window stores only. */
  readonly retainDuplicates: boolean;
  /** Default `max(1, retention / 2)`. */
  readonly segmentIntervalMs?: number;
  /** The size of every window (time and sliding windows), so readers can give each window its end. */
  readonly windowSizeMs?: number;
}

/** A store spec that names a windowed layout (an extension of the processor package's `StoreSpec`). */
export interface WindowedStoreSpec {
  readonly name: string;
  readonly keySerde: Serde<unknown>;
  readonly valueSerde: Serde<unknown>;
  readonly windowed?: WindowedStoreOptions;
}

export { buildWindowedStore } from './internal/windowed-store-impl.ts';
