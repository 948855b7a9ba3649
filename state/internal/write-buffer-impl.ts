import { isMillraceError, MillraceError } from '../../src/errors/index.ts';
import type { BytesScanOptions, Checkpoints, StoreBackend } from '../backend.ts';
import type { BufferedWrite, WriteBuffer } from '../write-buffer.ts';
import { BufferLayer } from './buffer-layer.ts';
import { toKeyRange } from './key-range.ts';
import { assertKey } from './validate-write.ts';

const NO_CHECKPOINTS: Checkpoints = new Map();

/**
 * Two layers: `current` takes new writes; `committing` holds the writes of a running flush until the
 * backend confirms them, so reads never fall into the gap between "left the buffer" and "visible in the
 * backend" (level's batch is asynchronous).
 */
export class WriteBufferImpl implements WriteBuffer {
  readonly backend: StoreBackend;
  #current = new BufferLayer();
  #committing: BufferLayer | undefined;

  constructor(backend: StoreBackend) {
    this.backend = backend;
  }

  get dirtyCount(): number {
    return this.#current.count;
  }

  get dirtyBytes(): number {
    return this.#current.bytes;
  }

  get(store: string, key: Uint8Array): Uint8Array | null | undefined {
    return (this.#current.get(store, key) ?? this.#committing?.get(store, key))?.value;
  }

  put(store: string, key: Uint8Array, value: Uint8Array | null): void {
    assertKey(store, key, this.backend.maxKeySize);
    this.#current.put(store, key, value);
  }

  writesInRange(store: string, options: BytesScanOptions): BufferedWrite[] {
    const range = toKeyRange(options);
    if (range.empty) return [];
    const current = this.#current;
    const committing = this.#committing;
    let ids = current.idsInRange(store, range);
    if (committing !== undefined) {
      const older = committing.idsInRange(store, range);
      if (older.length > 0) ids = [...new Set([...ids, ...older])].sort();
    }
    if (options.reverse === true) ids.reverse();
    return ids.map((id) => {
      const w = (current.getById(store, id) ?? committing?.getById(store, id)) as BufferedWrite;
      return { key: w.key, value: w.value };
    });
  }

  *writes(store: string): Iterable<BufferedWrite> {
    yield* this.#current.writes(store);
    const committing = this.#committing;
    if (committing === undefined) return;
    for (const w of committing.writes(store)) {
      if (this.#current.get(store, w.key) === undefined) yield w;
    }
  }

  async flush(checkpoints: Checkpoints = NO_CHECKPOINTS): Promise<void> {
    if (this.#committing !== undefined) {
      throw new MillraceError(
        'MR_STATE_FLUSH_IN_PROGRESS',
        'a write buffer flush is still running: await it first',
      );
    }
    const layer = this.#current;
    if (layer.count === 0 && checkpoints.size === 0) return;
    this.#current = new BufferLayer();
    this.#committing = layer;
    try {
      // A backend that can apply the transaction on another thread (LMDB's write thread) does so: the caller
      // may go on processing while it is written; reads meanwhile see the writes in `committing`.
      const writes = layer.toStoreWrites();
      await (this.backend.commitInBackground
        ? this.backend.commitInBackground(writes, checkpoints)
        : this.backend.commit(writes, checkpoints));
    } catch (cause) {
      this.#current.underlay(layer);
      if (isMillraceError(cause)) throw cause;
      throw new MillraceError(
        'MR_STATE_COMMIT_FAILED',
        'the state backend rejected a commit: close the task; it will be restored from the changelog',
        { cause },
      );
    } finally {
      this.#committing = undefined;
    }
  }

  discard(): void {
    this.#current = new BufferLayer();
  }
}
