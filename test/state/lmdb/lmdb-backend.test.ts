import { describe, expect, it, onTestFinished } from 'vitest';
import { createLmdbBackend } from '../../../state/lmdb/index.ts';
import { SerdeKeyValueStore } from '../../../state/internal/serde-key-value-store.ts';
import type { KeyValueBytesStore } from '../../../state/key-value-bytes-store.ts';
import { bytesSerde, jsonSerde, stringSerde } from '../../../state/serde.ts';
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

describe('LMDB transient reads (getTransient: no copy of the value)', () => {
  it('reads exactly the bytes stored, small and larger than the reused buffer, and misses', async () => {
    const backend = await openBackend();
    const sizes = [0, 1, 7, 100, 4096, 70_000, 300_000];
    const value = (n: number, seed: number) =>
      Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);
    await backend.commit(
      sizes.map((n, i) => ({ store: 's', key: utf8(`k${n}`), value: value(n, i) })),
      new Map(),
    );
    const s = backend.openStore('s');
    // Interleaved sizes: each read must have the length of its own value, not of the buffer's last use.
    for (const order of [sizes, [...sizes].reverse()]) {
      for (const n of order) {
        const got = s.getTransient!(utf8(`k${n}`));
        expect([n, got && Buffer.from(got).equals(Buffer.from(s.get(utf8(`k${n}`))!))]).toEqual([n, true]);
        expect(got!.byteLength).toBe(n);
      }
    }
    expect(s.getTransient!(utf8('missing'))).toBeUndefined();
  });

  it('a typed store reads through it with a decoding serde, and gives the bytes serde a stable copy', async () => {
    const backend = await openBackend();
    await backend.commit(
      [
        { store: 's', key: utf8('a'), value: utf8(JSON.stringify({ n: 1 })) },
        { store: 's', key: utf8('b'), value: utf8(JSON.stringify({ n: 2, text: 'x'.repeat(5000) })) },
      ],
      new Map(),
    );
    const s = backend.openStore('s');
    let transientReads = 0;
    const bytesStore = {
      name: 's',
      persistent: true,
      get: (k: Uint8Array) => s.get(k),
      getTransient: (k: Uint8Array) => (transientReads++, s.getTransient!(k)),
    } as unknown as KeyValueBytesStore;
    const json = new SerdeKeyValueStore(bytesStore, stringSerde(), jsonSerde<{ n: number }>());
    expect(json.get('a')).toEqual({ n: 1 });
    expect(json.get('b')?.n).toBe(2);
    expect(json.get('a')).toEqual({ n: 1 });
    expect(transientReads).toBe(3);
    const raw = new SerdeKeyValueStore(bytesStore, stringSerde(), bytesSerde());
    const a = raw.get('a')!;
    raw.get('b');
    expect(Buffer.from(a).toString()).toBe(JSON.stringify({ n: 1 }));
    expect(transientReads).toBe(3);
  });
});
