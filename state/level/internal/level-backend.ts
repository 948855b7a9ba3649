import { rm } from 'node:fs/promises';
import { Level } from 'level';
import { MillraceError } from '../../../src/errors/index.ts';
import type { BytesStore, Checkpoints, StoreBackend, StoreWrite } from '../../backend.ts';
import { concatBytes, toLatin1 } from '../../internal/bytes.ts';
import { decodeCheckpoint, decodeCheckpointKey, encodeCheckpoint } from '../../internal/checkpoint-codec.ts';
import { directorySize } from '../../internal/dir-size.ts';
import { assertStoreName } from '../../internal/store-name.ts';
import {
  CHECKPOINT_SPACE,
  COUNT_SPACE,
  checkpointRecordKey,
  countKey,
  decodeCount,
  encodeCount,
  entryPrefix,
} from './key-layout.ts';
import { LevelBytesStore, type LevelStoreHost } from './level-bytes-store.ts';

type Op = { type: 'put'; key: Uint8Array; value: Uint8Array } | { type: 'del'; key: Uint8Array };

/**
 * One LevelDB (classic-level) per task; stores and checkpoints are key spaces of it (key-layout.ts). A commit
 * is one `db.batch()` (a LevelDB WriteBatch: atomic, written to the log in one record). Commits are chained
 * so each computes entry counts against the result of the previous one. Checkpoints and counts are read
 * once at open and then kept in memory, because level can only iterate asynchronously and
 * `readCheckpoints()` is synchronous.
 */
export class LevelBackend implements StoreBackend, LevelStoreHost {
  readonly kind = 'level';
  readonly persistent = true;
  readonly path: string;
  readonly maxKeySize: number;
  readonly db: Level<Uint8Array, Uint8Array>;
  readonly #counts = new Map<string, number>();
  readonly #checkpoints = new Map<string, bigint>();
  readonly #stores = new Map<string, BytesStore>();
  #queue: Promise<unknown> = Promise.resolve();
  #closed: Promise<void> | undefined;

  private constructor(path: string, maxKeySize: number, db: Level<Uint8Array, Uint8Array>) {
    this.path = path;
    this.maxKeySize = maxKeySize;
    this.db = db;
  }

  /** Opens (creating when missing) the LevelDB in `path` and loads checkpoints and counts. */
  static async open(path: string, maxKeySize: number): Promise<LevelBackend> {
    const db = new Level<Uint8Array, Uint8Array>(path, { keyEncoding: 'view', valueEncoding: 'view' });
    try {
      await db.open();
    } catch (cause) {
      throw new MillraceError(
        'MR_STATE_OPEN_FAILED',
        `could not open the LevelDB state directory ${path} (is another instance using it?): stop the other owner, or delete the directory to restore from the changelog`,
        { cause },
      );
    }
    const backend = new LevelBackend(path, maxKeySize, db);
    for await (const [key, value] of db.iterator({
      gte: Uint8Array.of(COUNT_SPACE),
      lt: Uint8Array.of(COUNT_SPACE + 1),
    })) {
      backend.#counts.set(Buffer.from(key.subarray(2)).toString('latin1'), decodeCount(value));
    }
    for await (const [key, value] of db.iterator({
      gte: Uint8Array.of(CHECKPOINT_SPACE),
      lt: Uint8Array.of(CHECKPOINT_SPACE + 1),
    })) {
      const name = decodeCheckpointKey(key.subarray(1));
      backend.#checkpoints.set(name, decodeCheckpoint(value, name));
    }
    return backend;
  }

  openStore(name: string): BytesStore {
    this.assertOpen();
    let store = this.#stores.get(name);
    if (store === undefined) {
      assertStoreName(name);
      store = new LevelBytesStore(name, this);
      this.#stores.set(name, store);
    }
    return store;
  }

  storeNames(): string[] {
    return [...new Set([...this.#counts.keys(), ...this.#stores.keys()])];
  }

  count(store: string): number {
    return this.#counts.get(store) ?? 0;
  }

  readCheckpoints(): Map<string, bigint> {
    this.assertOpen();
    return new Map(this.#checkpoints);
  }

  commit(writes: readonly StoreWrite[], checkpoints: Checkpoints): Promise<void> {
    this.assertOpen();
    const run = this.#queue.then(() => this.#commit(writes, checkpoints));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #commit(writes: readonly StoreWrite[], checkpoints: Checkpoints): Promise<void> {
    const ops: Op[] = [];
    const counts = new Map<string, number>();
    // Whether each key exists after the writes so far: the batch may write a key twice (restore batches do).
    const exists = new Map<string, boolean>();
    const prefixes = new Map<string, Uint8Array>();
    for (const w of writes) {
      let prefix = prefixes.get(w.store);
      if (prefix === undefined) {
        assertStoreName(w.store);
        prefix = entryPrefix(w.store);
        prefixes.set(w.store, prefix);
      }
      const key = concatBytes(prefix, w.key);
      const id = toLatin1(key);
      const existed = exists.get(id) ?? this.db.getSync(key) !== undefined;
      const count = counts.get(w.store) ?? this.count(w.store);
      if (w.value === null) {
        ops.push({ type: 'del', key });
        counts.set(w.store, existed ? count - 1 : count);
      } else {
        ops.push({ type: 'put', key, value: w.value });
        counts.set(w.store, existed ? count : count + 1);
      }
      exists.set(id, w.value !== null);
    }
    for (const [store, count] of counts)
      ops.push({ type: 'put', key: countKey(store), value: encodeCount(count) });
    for (const [key, offset] of checkpoints) {
      ops.push({ type: 'put', key: checkpointRecordKey(key), value: encodeCheckpoint(offset) });
    }
    try {
      await this.db.batch(ops);
    } catch (cause) {
      throw new MillraceError(
        'MR_STATE_COMMIT_FAILED',
        `LevelDB commit of ${writes.length} writes in ${this.path} failed; nothing was written: close the task; it will be restored from the changelog`,
        { cause },
      );
    }
    // Only after the batch is durable in the log: the caches never run ahead of the disk.
    for (const [store, count] of counts) this.#counts.set(store, count);
    for (const [key, offset] of checkpoints) this.#checkpoints.set(key, offset);
  }

  async sizeOnDisk(): Promise<number> {
    return directorySize(this.path);
  }

  close(): Promise<void> {
    this.#closed ??= this.#queue.then(() => this.db.close());
    return this.#closed;
  }

  async destroy(): Promise<void> {
    await this.close();
    await rm(this.path, { recursive: true, force: true });
  }

  assertOpen(): void {
    if (this.#closed !== undefined) {
      throw new MillraceError('MR_STATE_CLOSED', `the LevelDB state backend of ${this.path} is closed`);
    }
  }
}
