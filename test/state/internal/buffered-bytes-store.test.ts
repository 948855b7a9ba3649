import { describe, expect, it } from 'vitest';
import type { BytesEntry, BytesScanOptions, BytesStore, StoreBackend } from '../../../state/backend.ts';
import { BufferedBytesStore } from '../../../state/internal/buffered-bytes-store.ts';
import { createMemoryBackend } from '../../../state/memory/index.ts';
import { createWriteBuffer } from '../../../state/write-buffer.ts';

const utf8 = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** A memory backend whose stores remember the iterators their scans hand out. */
function spiedBackend(): { backend: StoreBackend; iterators: AsyncIterator<BytesEntry>[] } {
  const backend = createMemoryBackend();
  const iterators: AsyncIterator<BytesEntry>[] = [];
  const open = backend.openStore.bind(backend);
  backend.openStore = (name: string): BytesStore => {
    const store = open(name);
    const scan = store.scan.bind(store);
    store.scan = (options?: BytesScanOptions) => {
      const iterable = scan(options);
      return {
        [Symbol.asyncIterator]: () => {
          const it = iterable[Symbol.asyncIterator]();
          iterators.push(it);
          return it;
        },
      };
    };
    return store;
  };
  return { backend, iterators };
}

async function setup() {
  const { backend, iterators } = spiedBackend();
  const buffer = createWriteBuffer(backend);
  const store = new BufferedBytesStore('kv', buffer);
  for (const k of ['a', 'b', 'c', 'd', 'e']) store.put(utf8(k), utf8(k.toUpperCase()));
  await buffer.flush();
  return { buffer, store, iterators };
}

async function scanned(store: BufferedBytesStore, options: BytesScanOptions = {}): Promise<string[]> {
  const out: string[] = [];
  for await (const { key, value } of store.scan(options)) out.push(`${text(key)}=${text(value)}`);
  return out;
}

describe('BufferedBytesStore.scan', () => {
  it('hands out the backend iterator itself when nothing is buffered in range', async () => {
    const { buffer, store, iterators } = await setup();
    store.put(utf8('z'), utf8('Z')); // buffered, but outside the ranges below
    buffer.put('other', utf8('c'), utf8('other store'));
    const it = store.scan({ gte: utf8('b'), lte: utf8('d') })[Symbol.asyncIterator]();
    expect(iterators).toEqual([it]);
    expect(await scanned(store, { gte: utf8('b'), lte: utf8('d') })).toEqual(['b=B', 'c=C', 'd=D']);
    expect(await scanned(store, { lt: utf8('e'), reverse: true, limit: 2 })).toEqual(['d=D', 'c=C']);
    expect(await scanned(store, { limit: 0 })).toEqual([]);
  });

  it('merges when a write or a delete is buffered in range', async () => {
    const { store, iterators } = await setup();
    store.put(utf8('c'), utf8('new'));
    store.delete(utf8('d'));
    store.put(utf8('bb'), utf8('BB'));
    const it = store.scan({ gte: utf8('b') })[Symbol.asyncIterator]();
    expect(iterators).not.toContain(it);
    expect(await scanned(store, { gte: utf8('b') })).toEqual(['b=B', 'bb=BB', 'c=new', 'e=E']);
    expect(await scanned(store, { gte: utf8('b'), reverse: true, limit: 3 })).toEqual([
      'e=E',
      'c=new',
      'bb=BB',
    ]);
  });

  it('takes its snapshot of the buffer when iteration starts, not when scan is called', async () => {
    const { store } = await setup();
    const later = store.scan({ gte: utf8('a'), lt: utf8('c') });
    store.put(utf8('ab'), utf8('AB'));
    expect(await scannedFrom(later)).toEqual(['a=A', 'ab=AB', 'b=B']);
  });
});

async function scannedFrom(iterable: AsyncIterable<BytesEntry>): Promise<string[]> {
  const out: string[] = [];
  for await (const { key, value } of iterable) out.push(`${text(key)}=${text(value)}`);
  return out;
}
