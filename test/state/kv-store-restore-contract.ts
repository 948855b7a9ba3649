import { expect, it } from 'vitest';
import {
  createStoreRestorer,
  jsonSerde,
  Stores,
  stringSerde,
  type RestoreProgress,
} from '../../state/index.ts';
import { collect, utf8, type KvStoreUnderTest } from './kv-store-harness.ts';

/**
 * The restore cases of the key-value store contract (run by kvStoreContract for every backend): a store
 * rebuilt from its changelog in chunks, each chunk committed with the changelog position it reached.
 */
export function kvStoreRestoreCases(setup: () => Promise<KvStoreUnderTest>): void {
  it('restores from changelog records in chunks, with the changelog checkpoint in each transaction', async () => {
    const { backend, buffer } = await setup();
    const progress: RestoreProgress[] = [];
    const records = [
      { key: utf8('a'), value: utf8('"A"'), offset: 0n },
      { key: utf8('b'), value: utf8('"B"'), offset: 1n },
      { key: utf8('a'), value: null, offset: 2n },
      { key: utf8('c'), value: utf8('"C"'), offset: 4n }, // a gap: a transaction marker
      { key: utf8('b'), value: utf8('"B2"'), offset: 5n },
    ];
    const restorer = createStoreRestorer(backend, {
      store: 'kv',
      changelogTopic: 'app-kv-changelog',
      partition: 0,
      endOffset: 7n,
      maxBatchSize: 2,
      onProgress: (p) => progress.push(p),
    });
    expect(restorer.startOffset).toBe(0n);
    await restorer.restoreBatch(records.slice(0, 3));
    expect(backend.readCheckpoints().get('app-kv-changelog:0')).toBe(3n);
    await restorer.restoreBatch(records.slice(1)); // re-delivered records below the position are skipped
    expect(restorer.restored).toBe(5);
    expect(restorer.position).toBe(6n);
    expect(restorer.done).toBe(false);
    await restorer.advanceTo(7n); // offset 6 was a transaction marker
    await restorer.advanceTo(3n); // never backwards
    expect([restorer.position, restorer.done, backend.readCheckpoints().get('app-kv-changelog:0')]).toEqual([
      7n,
      true,
      7n,
    ]);
    expect(progress.map((p) => [p.restored, p.offset, p.endOffset])).toEqual([
      [2, 1n, 7n],
      [3, 2n, 7n],
      [5, 5n, 7n],
    ]);
    const store = Stores.keyValueStoreBuilder('kv', stringSerde(), jsonSerde<string>())
      .withLoggingDisabled()
      .build({ writeBuffer: buffer });
    expect(await collect(store.all())).toEqual([
      { key: 'b', value: 'B2' },
      { key: 'c', value: 'C' },
    ]);
    expect(store.approximateNumEntries()).toBe(2);
    const resumed = createStoreRestorer(backend, {
      store: 'kv',
      changelogTopic: 'app-kv-changelog',
      partition: 0,
      endOffset: 7n,
    });
    expect([resumed.startOffset, resumed.done]).toEqual([7n, true]);
    await expect(
      resumed.restoreBatch([
        { key: utf8('x'), value: null, offset: 9n },
        { key: utf8('y'), value: null, offset: 8n },
      ]),
    ).rejects.toMatchObject({
      code: 'MR_STATE_RESTORE_INVALID',
    });
  });

  it('restores batches handed over before the previous one settled, in offset order', async () => {
    const { backend } = await setup();
    const progress: RestoreProgress[] = [];
    const restorer = createStoreRestorer(backend, {
      store: 'kv',
      changelogTopic: 'app-kv-changelog',
      partition: 1,
      endOffset: 12n,
      maxBatchSize: 2,
      onProgress: (p) => progress.push(p),
    });
    const record = (i: number, value: string | null) => ({
      key: utf8(`k${i % 3}`),
      value: value === null ? null : utf8(value),
      offset: BigInt(i),
    });
    // Fetch N+1 is handed over while fetch N is still being written (the restore session does this).
    const first = restorer.restoreBatch([0, 1, 2, 3, 4].map((i) => record(i, `"${i}"`)));
    const second = restorer.restoreBatch([3, 4, 5, 6, 7, 8].map((i) => record(i, i === 8 ? null : `"${i}"`)));
    const third = restorer.restoreBatch([record(10, '"10"')]);
    await Promise.all([first, second, third]);
    await restorer.advanceTo(12n);
    const kv = backend.openStore('kv');
    const text = (k: string) => Buffer.from(kv.get(utf8(k)) ?? utf8('-')).toString();
    expect([text('k0'), text('k1'), text('k2')]).toEqual(['"6"', '"10"', '-']);
    expect([
      restorer.restored,
      restorer.position,
      backend.readCheckpoints().get('app-kv-changelog:1'),
    ]).toEqual([10, 12n, 12n]);
    const offsets = progress.map((p) => p.offset);
    expect(offsets).toEqual([...offsets].sort((a, b) => (a < b ? -1 : 1)));
    expect(offsets.at(-1)).toBe(10n);
  });
}
