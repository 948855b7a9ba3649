import { open, type Database, type RootDatabase } from 'lmdb';

/** Point reads of a task's LMDB environment from another thread (query workers). */
export interface LmdbReader {
  /** The committed value of `key` in the named database `store`, or undefined (absent, or no such store). */
  get(store: string, key: Uint8Array): Buffer | undefined;
  close(): Promise<void>;
}

/**
 * Opens the environment of one task, `<state.dir>/<application.id>/<taskId>/`, for reads only. LMDB readers
 * are lock-free and see the last committed write transaction, so a reader never sees a half-applied
 * commit; lmdb-js shares one environment per path across the threads of a process, hence the same options
 * as the writer (`maxDbs` = 32 stores + checkpoints, see createLmdbBackend). Only an existing environment is
 * opened: the writer (the task) creates it.
 *
 * @example
 * ```ts
 * const reader = openLmdbReader(join(stateDir, appId, '0_3'));
 * const bytes = reader.get('patient-profiles', Buffer.from('p-1'));
 * ```
 */
export function openLmdbReader(path: string, maxStores = 32): LmdbReader {
  const env: RootDatabase = open({
    path,
    maxDbs: maxStores + 1,
    overlappingSync: process.platform !== 'win32',
  });
  const dbs = new Map<string, Database<Buffer, Buffer> | null>();
  const db = (name: string): Database<Buffer, Buffer> | null => {
    let d = dbs.get(name);
    if (d !== undefined) return d;
    // `create: false`: a store the task has not written yet has no database; it reads as empty.
    try {
      // `create` is an lmdb-js option its typings omit.
      const options = { name, keyEncoding: 'binary', encoding: 'binary', create: false } as const;
      d = env.openDB<Buffer, Buffer>(options as unknown as { name: string; encoding: 'binary' });
    } catch {
      d = null;
    }
    if (d) dbs.set(name, d);
    return d ?? null;
  };
  return {
    get(store, key) {
      const d = db(store);
      if (!d) return undefined;
      return d.get(Buffer.isBuffer(key) ? key : Buffer.from(key.buffer, key.byteOffset, key.byteLength));
    },
    close: () => env.close(),
  };
}
