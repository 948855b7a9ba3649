import { describe, expect, it } from 'vitest';
import { createInMemoryChangelogSink } from '../../../state/changelog-sink.ts';
import { asCachedStore, type CacheFlushRecord } from '../../../state/internal/cached-store.ts';
import { ThreadCache } from '../../../state/internal/thread-cache.ts';
import { createMemoryBackend } from '../../../state/memory/index.ts';
import { jsonSerde, stringSerde } from '../../../state/serde.ts';
import { Stores } from '../../../state/store-builder.ts';
import type { KeyValueStore } from '../../../state/types.ts';
import { createWriteBuffer } from '../../../state/write-buffer.ts';

const text = (b: Uint8Array | null): string | null => (b === null ? null : new TextDecoder().decode(b));

function setup(maxBytes = 1024 * 1024, name = 'counts') {
  const changelog = createInMemoryChangelogSink();
  const writeBuffer = createWriteBuffer(createMemoryBackend());
  const thread = new ThreadCache(maxBytes);
  let context = { timestamp: 1, headers: [] as { key: string; value: Uint8Array | null }[] };
  const store = Stores.keyValueStoreBuilder(name, stringSerde(), jsonSerde<number>())
    .withCachingEnabled()
    .build({ writeBuffer, changelog, cache: { thread, taskId: '0_0', recordContext: () => context } });
  const cached = asCachedStore<string, number>(store);
  if (cached === undefined) throw new Error('the store has no cache');
  const forwarded: CacheFlushRecord<string, number>[] = [];
  cached.setFlushListener((r) => void forwarded.push(r));
  const logged = (): [string | null, string | null][] =>
    changelog.records.map((r) => [text(r.key), text(r.value)]);
  const below = (key: string): string | null =>
    text(writeBuffer.backend.openStore(name).get(new TextEncoder().encode(key)) ?? null);
  const setContext = (timestamp: number): void => {
    context = { timestamp, headers: [{ key: 'h', value: null }] };
  };
  return { store, cached, forwarded, logged, writeBuffer, thread, setContext, below };
}

async function entries(it: AsyncIterable<{ key: string; value: number }>): Promise<[string, number][]> {
  const out: [string, number][] = [];
  for await (const { key, value } of it) out.push([key, value]);
  return out;
}

const changes = (f: CacheFlushRecord<string, number>[]) => f.map((r) => [r.key, r.newValue, r.oldValue]);

describe('caching key-value store', () => {
  it('refuses a key the backend would refuse when it is written, not at the flush (so the record is dead-lettered)', async () => {
    const { store, cached, forwarded, logged, writeBuffer } = setup();
    const tooLong = 'k'.repeat(writeBuffer.backend.maxKeySize + 1);
    expect(() => store.put(tooLong, 1)).toThrow(/MR_STATE_KEY_INVALID|not allowed/);
    expect(() => store.put('', 1)).toThrow(/not allowed/);
    store.put('ok', 2);
    await cached.flushCache();
    expect(logged()).toEqual([['ok', '2']]);
    expect(changes(forwarded)).toEqual([['ok', 2, null]]);
  });

  it('writes, logs and forwards a key once per flush, with its latest value and the value flushed before', async () => {
    const { store, cached, forwarded, logged } = setup();
    store.put('a', 1);
    store.put('a', 2);
    store.put('a', 3);
    expect(logged()).toEqual([]);
    expect(forwarded).toEqual([]);
    await cached.flushCache();
    expect(logged()).toEqual([['a', '3']]);
    expect(changes(forwarded)).toEqual([['a', 3, null]]);
    store.put('a', 4);
    await cached.flushCache();
    expect(changes(forwarded)).toEqual([
      ['a', 3, null],
      ['a', 4, 3],
    ]);
    await cached.flushCache(); // nothing dirty: nothing more
    expect(logged()).toEqual([
      ['a', '3'],
      ['a', '4'],
    ]);
  });

  it('flushes in the order of the last update of each key, with the context of that update', async () => {
    const { store, cached, forwarded, setContext } = setup();
    setContext(10);
    store.put('a', 1);
    setContext(20);
    store.put('b', 1);
    setContext(30);
    store.put('a', 2);
    await cached.flushCache();
    expect(forwarded.map((r) => [r.key, r.context?.timestamp])).toEqual([
      ['b', 20],
      ['a', 30],
    ]);
    expect(forwarded[0]?.context?.headers).toEqual([{ key: 'h', value: null }]);
  });

  it('reads see cached values: get, and scans merged with the store below (cached deletions hide)', async () => {
    const { store, cached, below, writeBuffer } = setup();
    for (const [k, v] of [
      ['a', 1],
      ['c', 3],
      ['e', 5],
    ] as const)
      store.put(k, v);
    await cached.flushCache();
    await writeBuffer.flush();
    store.put('b', 2);
    store.put('c', 30);
    store.delete('e');
    expect(below('e')).toBe('5'); // not flushed yet
    expect(store.get('c')).toBe(30);
    expect(store.get('e')).toBeUndefined();
    expect(await entries(store.all())).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 30],
    ]);
    expect(await entries(store.all({ reverse: true }))).toEqual([
      ['c', 30],
      ['b', 2],
      ['a', 1],
    ]);
    expect(await entries(store.range('b', 'e'))).toEqual([
      ['b', 2],
      ['c', 30],
    ]);
    expect(await entries(store.all({ limit: 2 }))).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
  });

  it('scans keys that are only in the store below, before, between and after the cached ones', async () => {
    const { store, cached, writeBuffer, thread } = setup();
    for (const k of ['a', 'c', 'e', 'g']) store.put(k, 1);
    await cached.flushCache();
    await writeBuffer.flush();
    thread.close('0_0-counts'); // the cache forgets them: they are only below now
    store.put('d', 2);
    store.put('f', 2);
    expect((await entries(store.all())).map(([k]) => k)).toEqual(['a', 'c', 'd', 'e', 'f', 'g']);
    expect((await entries(store.all({ reverse: true }))).map(([k]) => k)).toEqual([
      'g',
      'f',
      'e',
      'd',
      'c',
      'a',
    ]);
  });

  it('forwards a deletion of a flushed key, and nothing for a key deleted before it was ever flushed', async () => {
    const { store, cached, forwarded, logged } = setup();
    store.put('a', 1);
    await cached.flushCache();
    store.delete('a');
    store.put('tmp', 1);
    store.delete('tmp');
    await cached.flushCache();
    expect(changes(forwarded)).toEqual([
      ['a', 1, null],
      ['a', null, 1],
    ]);
    // The deletion is still logged below (a replica may hold the key).
    expect(logged()).toEqual([
      ['a', '1'],
      ['a', null],
      ['tmp', null],
    ]);
  });

  it('evicts the least recently used key when full: a dirty one flushes the whole store cache, at once', () => {
    // Each entry is ~66 bytes (64 of overhead + key + value); three fit in 200.
    const { store, forwarded, logged, thread } = setup(200);
    store.put('a', 1);
    store.put('b', 1);
    store.put('c', 1);
    expect(forwarded).toEqual([]);
    store.get('a'); // a is now more recent than b
    store.put('d', 1); // over budget: b is the eldest
    expect(changes(forwarded)).toEqual([
      ['b', 1, null],
      ['a', 1, null],
      ['c', 1, null],
      ['d', 1, null],
    ]);
    expect(logged().map(([k]) => k)).toEqual(['b', 'a', 'c', 'd']);
    expect(thread.sizeBytes).toBeLessThanOrEqual(200);
    expect(thread.evictions).toBe(1);
  });

  it('counts key, value and per-entry overhead; flushed deletions leave the cache; close releases it all', async () => {
    const { store, cached, thread } = setup();
    store.put('ab', 12); // key 2 bytes, value "12" 2 bytes
    expect(thread.sizeBytes).toBe(64 + 2 + 2);
    store.put('ab', 1234);
    expect(thread.sizeBytes).toBe(64 + 2 + 4);
    store.delete('ab');
    await cached.flushCache();
    expect(thread.sizeBytes).toBe(0);
    store.put('x', 1);
    thread.close('0_0-counts');
    expect(thread.sizeBytes).toBe(0);
  });

  it('is not there with a 0-byte cache, nor without caching enabled: every put is written and logged', () => {
    const changelog = createInMemoryChangelogSink();
    const writeBuffer = createWriteBuffer(createMemoryBackend());
    const builder = Stores.keyValueStoreBuilder('counts', stringSerde(), jsonSerde<number>());
    const build = (b: typeof builder, maxBytes: number): KeyValueStore<string, number> =>
      b.build({
        writeBuffer,
        changelog,
        cache: { thread: new ThreadCache(maxBytes), taskId: '0_0', recordContext: () => undefined },
      });
    const off = build(builder.withCachingEnabled(), 0);
    const disabled = build(builder, 1024);
    expect(asCachedStore(off)).toBeUndefined();
    expect(asCachedStore(disabled)).toBeUndefined();
    off.put('a', 1);
    off.put('a', 2);
    disabled.put('b', 1);
    expect(changelog.records).toHaveLength(3);
  });
});
