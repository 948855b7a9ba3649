import type { Checkpoints, StoreBackend } from '../backend.ts';

/**
 * A backend that restores a range of changelog records straight from parallel arrays (no write object per
 * record), on another thread: the contract of {@link StoreBackend.commitInBackground} for the writes
 * `keys[i] → values[i]` (null deletes), `from <= i < to`, all of `store`, plus `checkpoints`. The keys and
 * values must not change until the promise settles.
 */
export interface BulkRestoreBackend extends StoreBackend {
  restoreInBackground(
    store: string,
    keys: readonly Uint8Array[],
    values: readonly (Uint8Array | null)[],
    from: number,
    to: number,
    checkpoints: Checkpoints,
  ): Promise<void>;
}

export function isBulkRestoreBackend(backend: StoreBackend): backend is BulkRestoreBackend {
  return typeof (backend as Partial<BulkRestoreBackend>).restoreInBackground === 'function';
}
