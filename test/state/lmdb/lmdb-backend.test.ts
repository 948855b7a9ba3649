import { describe, expect, it, onTestFinished } from 'vitest';
import { createLmdbBackend } from '../../../state/lmdb/index.ts';
import { createWriteBuffer } from '../../../state/write-buffer.ts';
import { tmpDir } from '../tmp-dir.ts';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

async function openBackend(): Promise<ReturnType<typeof createLmdbBackend>> {
  const dir = await tmpDir('lmdb-backend');
  const backend = createLmdbBackend({ path: dir.path });
  onTestFinished(async () => {
    await backend.close();
    await dir.remove();
  });
  return backend;
}

describe('LMDB backend', () => {
  // Regression guard for the choice of transactionSync: lmdb-js's async transaction() commits the writes made
  // before a throw, which would leave state ahead of its checkpoint.
  it('a failed commit writes nothing: neither earlier writes of the commit nor its checkpoint', async () => {
    const backend = await openBackend();
    await backend.commit([{ store: 's', key: utf8('old'), value: utf8('1') }], new Map([['in:0', 1n]]));
    const tooLong = new Uint8Array(backend.maxKeySize + 1).fill(0x61);
    await expect(
      backend.commit(
        [
          { store: 's', key: utf8('new'), value: utf8('2') },
          { store: 's', key: utf8('old'), value: null },
          { store: 's', key: tooLong, value: utf8('3') }, // LMDB rejects it inside the transaction
        ],
        new Map([['in:0', 2n]]),
      ),
    ).rejects.toMatchObject({ code: 'MR_STATE_COMMIT_FAILED' });
    const s = backend.openStore('s');
    expect(s.get(utf8('new'))).toBeUndefined();
    expect(s.get(utf8('old'))).toBeDefined();
    expect(s.approximateNumEntries()).toBe(1);
    expect(backend.readCheckpoints().get('in:0')).toBe(1n);
  });

  it('keeps the writes of a failed flush buffered, under newer ones', async () => {
    const backend = await openBackend();
    const buffer = createWriteBuffer(backend);
    buffer.put('s', utf8('a'), utf8('1'));
    buffer.put('s', utf8('b'), utf8('1'));
    const failing = buffer.flush(new Map([['in:0', -5n]])); // an invalid checkpoint fails the commit
    buffer.put('s', utf8('a'), utf8('2')); // written while the flush runs
    await expect(failing).rejects.toMatchObject({ code: 'MR_STATE_CHECKPOINT_INVALID' });
    expect(buffer.dirtyCount).toBe(2);
    expect(buffer.get('s', utf8('a'))).toEqual(utf8('2'));
    await buffer.flush(new Map([['in:0', 5n]]));
    expect(Buffer.from(backend.openStore('s').get(utf8('b')) as Uint8Array).toString()).toBe('1');
    expect(backend.readCheckpoints().get('in:0')).toBe(5n);
  });

  it('a background commit with an invalid key queues nothing: neither earlier writes nor its checkpoint', async () => {
    const backend = await openBackend();
    await backend.commitInBackground!(
      [{ store: 's', key: utf8('old'), value: utf8('1') }],
      new Map([['cl:0', 1n]]),
    );
    const tooLong = new Uint8Array(backend.maxKeySize + 1).fill(0x61);
    expect(() =>
      backend.commitInBackground!(
        [
          { store: 's', key: utf8('new'), value: utf8('2') },
          { store: 's', key: utf8('old'), value: null },
          { store: 's', key: tooLong, value: utf8('3') },
        ],
        new Map([['cl:0', 2n]]),
      ),
    ).toThrow(expect.objectContaining({ code: 'MR_STATE_KEY_INVALID' }));
    // A later commit of the same batch of lmdb-js would carry any write the failed call had queued.
    await backend.commitInBackground!([], new Map([['other:0', 1n]]));
    const s = backend.openStore('s');
    expect(s.get(utf8('new'))).toBeUndefined();
    expect(s.get(utf8('old'))).toBeDefined();
    expect(backend.readCheckpoints().get('cl:0')).toBe(1n);
  });

  it('applies background commits in call order, each readable with its checkpoint once it settles', async () => {
    const backend = await openBackend();
    const s = backend.openStore('s');
    const value = (k: string) => Buffer.from(s.get(utf8(k)) ?? []).toString();
    const first = backend.commitInBackground!(
      [
        { store: 's', key: utf8('a'), value: utf8('1') },
        { store: 's', key: utf8('b'), value: utf8('1') },
      ],
      new Map([['cl:0', 2n]]),
    );
    const second = backend.commitInBackground!(
      [
        { store: 's', key: utf8('a'), value: utf8('2') },
        { store: 's', key: utf8('b'), value: null },
      ],
      new Map([['cl:0', 4n]]),
    );
    await first;
    expect(backend.readCheckpoints().get('cl:0')).toBeGreaterThanOrEqual(2n);
    await second;
    expect([value('a'), s.get(utf8('b')), backend.readCheckpoints().get('cl:0')]).toEqual([
      '2',
      undefined,
      4n,
    ]);
  });

  it('limits the number of stores to maxStores', async () => {
    const dir = await tmpDir('lmdb-max');
    const backend = createLmdbBackend({ path: dir.path, maxStores: 2 });
    onTestFinished(async () => {
      await backend.close();
      await dir.remove();
    });
    backend.openStore('a');
    backend.openStore('b');
    expect(() => backend.openStore('c')).toThrow(expect.objectContaining({ code: 'MR_STATE_STORE_INVALID' }));
  });
});
