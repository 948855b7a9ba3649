import { Buffer } from 'node:buffer';
import { afterEach, describe, expect, it } from 'vitest';
import type { StoreBackend } from '../../state/backend.ts';
import { createLmdbBackend } from '../../state/lmdb/index.ts';
import { createMemoryBackend } from '../../state/memory/index.ts';
import { createStoreRestorer, type ChangelogColumns } from '../../state/restore.ts';
import { tmpDir } from './tmp-dir.ts';

const text = (bytes: Uint8Array | undefined) =>
  bytes === undefined ? undefined : Buffer.from(bytes).toString();

/** Records `[offset delta, key, value (null = tombstone)]` from `baseOffset`, as plain Uint8Arrays. */
function columns(baseOffset: bigint, records: [number, string, string | null][]): ChangelogColumns {
  const view = (s: string) => new Uint8Array(Buffer.from(s));
  return {
    baseOffset,
    offsetDeltas: records.map(([d]) => d),
    keys: records.map(([, k]) => view(k)),
    values: records.map(([, , v]) => (v === null ? null : view(v))),
  };
}

const backends: [string, () => Promise<{ backend: StoreBackend; cleanup: () => Promise<void> }>][] = [
  ['memory', async () => ({ backend: createMemoryBackend(), cleanup: async () => undefined })],
  [
    'lmdb (bulk restore on the write thread)',
    async () => {
      const dir = await tmpDir('restore-columns');
      const backend = createLmdbBackend({ path: dir.path });
      return {
        backend,
        cleanup: async () => {
          await backend.close();
          await dir.remove();
        },
      };
    },
  ],
];

describe.each(backends)('StoreRestorer.restoreColumns on %s', (_name, setup) => {
  let cleanup: () => Promise<void> = async () => undefined;
  afterEach(async () => cleanup());

  /** A fresh backend and a restorer of store `s` from partition 0 of `app-s-changelog`. */
  async function restorerOf(endOffset: bigint, maxBatchSize: number) {
    const made = await setup();
    cleanup = made.cleanup;
    const restorer = createStoreRestorer(made.backend, {
      store: 's',
      changelogTopic: 'app-s-changelog',
      partition: 0,
      endOffset,
      maxBatchSize,
    });
    return { backend: made.backend, restorer, store: made.backend.openStore('s') };
  }

  it('restores the first `count` records in chunks, each with its checkpoint, and deletes on tombstones', async () => {
    const { backend, restorer, store } = await restorerOf(120n, 2);
    // Offsets 100, 101, 103, 104 (then 110, past `count`): b is written, then deleted by a tombstone.
    await restorer.restoreColumns(
      columns(100n, [
        [0, 'a', '1'],
        [1, 'b', '2'],
        [3, 'c', '3'],
        [4, 'b', null],
        [10, 'x', '4'],
      ]),
      4,
    );
    expect(['a', 'b', 'c', 'x'].map((k) => text(store.get(Buffer.from(k))))).toEqual([
      '1',
      undefined,
      '3',
      undefined,
    ]);
    expect([restorer.restored, restorer.position]).toEqual([4, 105n]);
    expect(backend.readCheckpoints().get('app-s-changelog:0')).toBe(105n);

    // Re-delivered records below the position are skipped; the rest goes on from there.
    await restorer.restoreColumns(
      columns(103n, [
        [0, 'c', 'stale'],
        [1, 'b', null],
        [2, 'd', '5'],
      ]),
    );
    expect([restorer.restored, restorer.position]).toEqual([5, 106n]);
    expect(['c', 'd'].map((k) => text(store.get(Buffer.from(k))))).toEqual(['3', '5']);
  });

  it('refuses records out of offset order before writing any of them', async () => {
    const { backend, restorer, store } = await restorerOf(50n, 1);
    const outOfOrder = columns(0n, [
      [0, 'a', '1'],
      [2, 'b', '2'],
      [1, 'c', '3'],
    ]);
    await expect(restorer.restoreColumns(outOfOrder)).rejects.toMatchObject({
      code: 'MR_STATE_RESTORE_INVALID',
    });
    expect(store.get(Buffer.from('a'))).toBeUndefined();
    expect(backend.readCheckpoints().get('app-s-changelog:0')).toBeUndefined();
  });
});
