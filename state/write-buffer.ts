import type { BytesScanOptions, Checkpoints, StoreBackend } from './backend.ts';
import { WriteBufferImpl } from './internal/write-buffer-impl.ts';

/** A buffered write of one key; `value: null` is a delete (tombstone). */
export interface BufferedWrite {
  key: Uint8Array;
  value: Uint8Array | null;
}

/**
 * The uncommitted store writes of one task, shared by all its stores. Stores read through it
 * (read-your-writes; scans merge it with the backend); the task commits it with {@link WriteBuffer.flush},
 * which hands every write and the given checkpoints to `backend.commit` as one transaction.
 *
 * Exactly-once: the runtime calls `flush` only after the Kafka transaction has committed, and `discard`
 * when it aborts, so the backend never holds a write whose output or changelog record was rolled back.
 *
 * @example
 * ```ts
 * const buffer = createWriteBuffer(backend);
 * const counts = Stores.keyValueStoreBuilder('counts', stringSerde(), uint64Serde()).build({ writeBuffer: buffer, changelog });
 * counts.put('a', 1n);                  // buffered, readable at once
 * await producer.commitTransaction();
 * await buffer.flush(new Map([['app-counts-changelog:0', 43n]]));
 * ```
 */
export interface WriteBuffer {
  readonly backend: StoreBackend;
  /** The buffered write of a key: bytes (put), null (delete), or undefined when the key is not buffered. */
  get(store: string, key: Uint8Array): Uint8Array | null | undefined;
  /** Buffers a put (or a delete with `value: null`); checks the key against the backend's limits first. */
  put(store: string, key: Uint8Array, value: Uint8Array | null): void;
  /** The buffered writes of a store within the bounds, in key order (descending with `reverse`); a copy. */
  writesInRange(store: string, options: BytesScanOptions): BufferedWrite[];
  /** All buffered writes of a store, in no particular order. */
  writes(store: string): Iterable<BufferedWrite>;
  /** Buffered keys not yet handed to the backend (a commit trigger, like Kafka Streams' cache size). */
  readonly dirtyCount: number;
  /** Approximate bytes of buffered keys and values. */
  readonly dirtyBytes: number;
  /**
   * Commits all buffered writes with `checkpoints` in one backend transaction. While it runs, new writes
   * are buffered separately and reads still see the writes being committed. On failure the writes stay
   * buffered (under any newer ones) and the error (MR_STATE_COMMIT_FAILED) is thrown. One flush at a time.
   */
  flush(checkpoints?: Checkpoints): Promise<void>;
  /** Drops every buffered write not yet being committed (the Kafka transaction was aborted). */
  discard(): void;
}

/**
 * A write buffer over a task's backend.
 *
 * @example
 * ```ts
 * const buffer = createWriteBuffer(createMemoryBackend());
 * ```
 */
export function createWriteBuffer(backend: StoreBackend): WriteBuffer {
  return new WriteBufferImpl(backend);
}
