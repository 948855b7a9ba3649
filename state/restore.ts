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
   * position (already restored) are skipped; offsets must increase.
   */
  restoreBatch(records: readonly ChangelogRecord[]): Promise<void>;
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
  let position = startOffset;
  let restored = 0;

  async function commitChunk(chunk: StoreWrite[], lastOffset: bigint): Promise<void> {
    await backend.commit(chunk, new Map([[key, lastOffset + 1n]]));
    position = lastOffset + 1n;
    restored += chunk.length;
    options.onProgress?.({
      store: options.store,
      checkpointKey: key,
      restored,
      offset: lastOffset,
      endOffset: options.endOffset,
    });
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
      let chunk: StoreWrite[] = [];
      let last = position - 1n;
      for (const r of records) {
        if (r.offset < position) continue;
        if (r.offset <= last) {
          throw new MillraceError(
            'MR_STATE_RESTORE_INVALID',
            `restore of store "${options.store}" from ${key}: offset ${r.offset} after ${last}; feed records in offset order`,
          );
        }
        assertKey(options.store, r.key, backend.maxKeySize);
        chunk.push({ store: options.store, key: r.key, value: r.value });
        last = r.offset;
        if (chunk.length >= maxBatchSize) {
          await commitChunk(chunk, last);
          chunk = [];
          // Let other tasks on this thread run between transactions.
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
      if (chunk.length > 0) await commitChunk(chunk, last);
    },
    async advanceTo(next) {
      if (next <= position) return;
      await backend.commit([], new Map([[key, next]]));
      position = next;
    },
  };
}
