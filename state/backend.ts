/**
 * The byte-level backend interface. One backend instance serves one task: one LMDB environment (or one
 * LevelDB) in the task directory `<state.dir>/<application.id>/<taskId>/`, with one named database (or key
 * space) per store and one for checkpoints.
 *
 * Backends are written to only through {@link StoreBackend.commit}: every store write of a task commit and
 * the offsets those writes correspond to go in ONE transaction (LMDB: one write transaction; level: one
 * batch), so a crash can never leave state and position apart (KIP-1035, Faust's offset key).
 *
 * @example
 * ```ts
 * const backend = createLmdbBackend({ path: '/var/lib/millrace/app/0_3' });
 * const counts = backend.openStore('counts');
 * await backend.commit(
 *   [{ store: 'counts', key: utf8('patient-1'), value: u64(3n) }],
 *   new Map([[checkpointKey('app-counts-changelog', 3), 1042n]]),
 * );
 * counts.get(utf8('patient-1')); // the bytes of 3n
 * backend.readCheckpoints().get('app-counts-changelog:3'); // 1042n
 * ```
 */

/** A key and value as bytes. */
export interface BytesEntry {
  key: Uint8Array;
  value: Uint8Array;
}

/**
 * A byte-level scan. Bounds compare keys as unsigned bytes (memcmp). When both `gt` and `gte` (or `lt` and
 * `lte`) are given, the tighter one applies.
 */
export interface BytesScanOptions {
  gt?: Uint8Array;
  gte?: Uint8Array;
  lt?: Uint8Array;
  lte?: Uint8Array;
  /** Iterate from the highest key down. */
  reverse?: boolean;
  /** Stop after this many entries. */
  limit?: number;
}

/** The read side of one store in a backend. Writes go through {@link StoreBackend.commit}. */
export interface BytesStore {
  readonly name: string;
  /** The committed value, or undefined. Synchronous on every backend (LMDB get, level getSync, a Map). */
  get(key: Uint8Array): Uint8Array | undefined;
  /**
   * Like `get`, but the bytes may be overwritten by the next read of this backend: decode them at once and
   * keep no reference (see `Serde.keepsNoBytes`). Optional; {@link readTransient} falls back to `get`.
   */
  getTransient?(key: Uint8Array): Uint8Array | undefined;
  /** Committed entries in key order, over a consistent snapshot taken when iteration starts. */
  scan(options?: BytesScanOptions): AsyncIterable<BytesEntry>;
  /** The number of committed entries (exact on all three backends). */
  approximateNumEntries(): number;
}

/** One store write of a commit; `value: null` deletes the key (a tombstone). */
export interface StoreWrite {
  store: string;
  key: Uint8Array;
  value: Uint8Array | null;
}

/**
 * Positions committed with the state: `<topic>:<partition>` → the next offset to read (see
 * {@link checkpointKey}). Changelog partitions for restore, input partitions for the runtime's own use.
 */
export type Checkpoints = ReadonlyMap<string, bigint>;

/** Which implementation a backend is. */
export type BackendKind = 'lmdb' | 'level' | 'memory';

/** The storage of one task. */
export interface StoreBackend {
  readonly kind: BackendKind;
  /** Whether the data survives close and reopen (false for memory). */
  readonly persistent: boolean;
  /** The task directory, or undefined for memory. */
  readonly path: string | undefined;
  /** The longest key the backend accepts (LMDB: 1978 bytes); writes check it before they are buffered. */
  readonly maxKeySize: number;
  /** The store named `name`, created on first use. Names follow Kafka topic rules: `[A-Za-z0-9._-]{1,200}`. */
  openStore(name: string): BytesStore;
  /** The names of the stores that hold data or were opened. */
  storeNames(): string[];
  /** The committed positions. */
  readCheckpoints(): Map<string, bigint>;
  /**
   * Atomically applies `writes` (in order; a later write of the same key wins) and upserts `checkpoints`.
   * Either everything is applied or nothing is: on rejection the backend is as before the call.
   * Concurrent commits are applied one after the other.
   */
  commit(writes: readonly StoreWrite[], checkpoints: Checkpoints): Promise<void>;
  /**
   * Optional, for bulk loads (restore): the same contract as {@link commit}, but the backend may apply the
   * transaction on another thread after this returns (LMDB: lmdb-js's write thread), so the caller can fetch
   * the next batch while this one is written. Everything is validated before anything is queued; queued
   * commits are applied in call order, each atomically; the promise settles once the transaction committed.
   */
  commitInBackground?(writes: readonly StoreWrite[], checkpoints: Checkpoints): Promise<void>;
  /**
   * Optional, for restore: {@link commitInBackground} of the writes `keys[i] → values[i]` (null deletes),
   * `from <= i < to`, all of `store`, plus `checkpoints`, given as parallel arrays (no write object per
   * record). The keys and values must not change until the promise settles.
   */
  restoreInBackground?(
    store: string,
    keys: readonly Uint8Array[],
    values: readonly (Uint8Array | null)[],
    from: number,
    to: number,
    checkpoints: Checkpoints,
  ): Promise<void>;
  /** Bytes the task directory occupies on disk (0 for memory). */
  sizeOnDisk(): Promise<number>;
  /** Releases files and handles; waits for pending disk flushes. Idempotent. */
  close(): Promise<void>;
  /** Closes and deletes the task directory (the task will be restored from its changelogs). */
  destroy(): Promise<void>;
}

/**
 * The checkpoint key of a topic partition: `<topic>:<partition>`.
 *
 * @example
 * ```ts
 * checkpointKey('app-counts-changelog', 3); // 'app-counts-changelog:3'
 * ```
 */
export function checkpointKey(topic: string, partition: number): string {
  return `${topic}:${partition}`;
}

/** `store.getTransient(key)` where the store has it, else `store.get(key)`. */
export function readTransient(
  store: {
    get(key: Uint8Array): Uint8Array | undefined;
    getTransient?(key: Uint8Array): Uint8Array | undefined;
  },
  key: Uint8Array,
): Uint8Array | undefined {
  return store.getTransient === undefined ? store.get(key) : store.getTransient(key);
}
