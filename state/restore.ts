import { MillraceError } from '../src/errors/index.ts';
import { checkpointKey, type StoreBackend, type StoreWrite } from './backend.ts';
import { assertStoreName } from './internal/store-name.ts';
import { assertKey } from './internal/validate-write.ts';

/** A changelog record as the restore consumer fetched it; `value: null` is a tombstone. */
export interface ChangelogRecord {
  key: Uint8Array;
  value: Uint8Array | null;
  offset: bigint;
}

/**
 * Changelog records as parallel arrays (no object per record): record i has offset
 * `baseOffset + offsetDeltas[i]`, key `keys[i]`, value `values[i]` (null = tombstone).
 */
export interface ChangelogColumns {
  readonly baseOffset: bigint;
  readonly offsetDeltas: readonly number[];
  readonly keys: readonly Uint8Array[];
  readonly values: readonly (Uint8Array | null)[];
}

/** Progress of a restore, reported after each committed chunk. */
export interface RestoreProgress {
  store: string;
  /** `<changelog topic>:<partition>`, the checkpoint key. */
  checkpointKey: string;
  /** Records restored by this restorer so far. */
  restored: number;
  /** The offset of the last restored record. */
  offset: bigint;
  /** The end offset the restore runs to (exclusive). */
  endOffset: bigint;
}

/** Options of {@link createStoreRestorer}. */
export interface StoreRestorerOptions {
  store: string;
  changelogTopic: string;
  partition: number;
  /** The changelog's end offset (high watermark, or last stable offset under read_committed) when restore began. */
  endOffset: bigint;
  onProgress?: (progress: RestoreProgress) => void;
  /** Records per backend transaction (default 10 000): bounds how long one commit blocks the event loop. */
  maxBatchSize?: number;
}

/** Restores one store from its changelog partition, straight into the backend. */
export interface StoreRestorer {
  readonly checkpointKey: string;
  /** Where to start consuming: the stored checkpoint, or 0n when there is none. */
  readonly startOffset: bigint;
  /** The next offset to restore (the checkpoint after the last committed chunk). */
  readonly position: bigint;
  /** Records restored so far. */
  readonly restored: number;
  /** Whether the position reached the end offset. */
  readonly done: boolean;
  /**
   * Writes the records to the backend, each chunk of `maxBatchSize` in one transaction together with the
   * checkpoint `last offset + 1`, so a crash mid-restore resumes where it stopped. Records below the
   * position (already restored) are skipped; offsets must increase. It may be called again before the
   * previous call settled (to fetch while the backend writes): chunks are committed in call order.
   */
  restoreBatch(records: readonly ChangelogRecord[]): Promise<void>;
  /** {@link restoreBatch} for the first `count` (default: all) records of `records`. */
  restoreColumns(records: ChangelogColumns, count?: number): Promise<void>;
  /**
   * Moves the checkpoint to the consumer's position when it is past the last record: under exactly-once
   * the changelog ends with transaction markers, which take offsets but are never returned as records, so
   * `last record + 1` stays below the end offset. Call it after each fetch with the consumer's position.
   */
  advanceTo(position: bigint): Promise<void>;
}

/**
 * A restorer for one store. The runtime seeks the changelog consumer to `startOffset`, feeds the fetched
 * batches to `restoreBatch` until `done`, then starts processing. Restore bypasses the write buffer and the
 * changelog: it is the changelog.
 *
 * @example
 * ```ts
 * const restorer = createStoreRestorer(backend, { store: 'counts', changelogTopic, partition: 3, endOffset });
 * consumer.seek(changelogTopic, 3, restorer.startOffset);
 * while (!restorer.done) {
 *   await restorer.restoreBatch(await fetchChangelog());
 *   await restorer.advanceTo(consumer.position(changelogTopic, 3));
 * }
 * ```
 */
export function createStoreRestorer(backend: StoreBackend, options: StoreRestorerOptions): StoreRestorer {
  assertStoreName(options.store);
  const key = checkpointKey(options.changelogTopic, options.partition);
  const maxBatchSize = Math.max(1, options.maxBatchSize ?? 10_000);
  const startOffset = backend.readCheckpoints().get(key) ?? 0n;
  // Creates the store's database now, not inside the first chunk: on LMDB that is a synchronous transaction,
  // which must not meet this restore's queued background transactions.
  backend.openStore(options.store);
  // A backend that commits on another thread is handed every chunk at once; the others one chunk per turn.
  const background = backend.restoreInBackground !== undefined || backend.commitInBackground !== undefined;
  /** Commits records `from <= i < to` with the checkpoint `checkpoint`. */
  const commit = (
    keys: readonly Uint8Array[],
    values: readonly (Uint8Array | null)[],
    from: number,
    to: number,
    checkpoint: bigint,
  ): Promise<void> => {
    const checkpoints = new Map([[key, checkpoint]]);
    if (backend.restoreInBackground)
      return backend.restoreInBackground(options.store, keys, values, from, to, checkpoints);
    const writes: StoreWrite[] = [];
    for (let i = from; i < to; i++) writes.push({ store: options.store, key: keys[i]!, value: values[i]! });
    return backend.commitInBackground
      ? backend.commitInBackground(writes, checkpoints)
      : backend.commit(writes, checkpoints);
  };
  /** The checkpoint of the last committed chunk. */
  let position = startOffset;
  /** The offset after the last chunk handed to the backend, committed or not: where the next call goes on. */
  let queued = startOffset;
  let restored = 0;
  /** Calls hand their chunks to the backend one call after the other, so chunks are queued in offset order. */
  let tail: Promise<unknown> = Promise.resolve();
  const serially = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn);
    tail = run.catch(() => undefined);
    return run;
  };

  async function commitChunk(
    keys: readonly Uint8Array[],
    values: readonly (Uint8Array | null)[],
    from: number,
    to: number,
    lastOffset: bigint,
  ): Promise<void> {
    await commit(keys, values, from, to, lastOffset + 1n);
    // Chunks commit in the order they were queued, so the checkpoint only moves forward.
    position = lastOffset + 1n;
    restored += to - from;
    options.onProgress?.({
      store: options.store,
      checkpointKey: key,
      restored,
      offset: lastOffset,
      endOffset: options.endOffset,
    });
  }

  /** Queues the records' chunks; returns the commits still running (background backends only). */
  async function queueChunks(records: ChangelogColumns, count: number): Promise<Promise<void>[]> {
    const running: Promise<void>[] = [];
    const { baseOffset, offsetDeltas, keys, values } = records;
    // Offsets as numbers relative to baseOffset: exact, a fetch spans far less than 2^53 offsets.
    const skipBelow = Number(queued - baseOffset);
    let i = 0;
    while (i < count && offsetDeltas[i]! < skipBelow) i++;
    let last = skipBelow - 1;
    for (let j = i; j < count; j++) {
      const delta = offsetDeltas[j]!;
      if (delta <= last) {
        throw new MillraceError(
          'MR_STATE_RESTORE_INVALID',
          `restore of store "${options.store}" from ${key}: offset ${baseOffset + BigInt(delta)} after ${baseOffset + BigInt(last)}; feed records in offset order`,
        );
      }
      last = delta;
      // A background commit checks every key before it queues anything.
      if (!background) assertKey(options.store, keys[j]!, backend.maxKeySize);
    }
    while (i < count) {
      const to = Math.min(i + maxBatchSize, count);
      const lastOffset = baseOffset + BigInt(offsetDeltas[to - 1]!);
      queued = lastOffset + 1n;
      const committing = commitChunk(keys, values, i, to, lastOffset);
      i = to;
      if (background) {
        // Awaited by restoreColumns; this handler only keeps a rejection from counting as unhandled meanwhile.
        committing.catch(() => undefined);
        running.push(committing);
        continue;
      }
      await committing;
      // Let other tasks on this thread run between transactions.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return running;
  }

  return {
    checkpointKey: key,
    startOffset,
    get position() {
      return position;
    },
    get restored() {
      return restored;
    },
    get done() {
      return position >= options.endOffset;
    },
    async restoreBatch(records) {
      const baseOffset = records[0]?.offset ?? queued;
      const columns: ChangelogColumns = {
        baseOffset,
        offsetDeltas: records.map((r) => Number(r.offset - baseOffset)),
        keys: records.map((r) => r.key),
        values: records.map((r) => r.value),
      };
      await Promise.all(await serially(() => queueChunks(columns, records.length)));
    },
    async restoreColumns(records, count = records.offsetDeltas.length) {
      await Promise.all(await serially(() => queueChunks(records, count)));
    },
    async advanceTo(next) {
      const running = await serially(async () => {
        if (next <= queued) return undefined;
        queued = next;
        return commit([], [], 0, 0, next).then(() => {
          position = next;
        });
      });
      await running;
    },
  };
}
