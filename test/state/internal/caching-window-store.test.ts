import { describe, expect, it } from 'vitest';
import { createInMemoryChangelogSink } from '../../../state/changelog-sink.ts';
import { asCachedStore, type CacheFlushRecord } from '../../../state/internal/cached-store.ts';
import type { CachedWindowKey } from '../../../state/internal/caching-window-store.ts';
import { ThreadCache } from '../../../state/internal/thread-cache.ts';
import { createMemoryBackend } from '../../../state/memory/index.ts';
import { jsonSerde, stringSerde } from '../../../state/serde.ts';
import type { WindowStore } from '../../../state/window-store.ts';
import { buildWindowStore } from '../../../state/window-store-builder.ts';
import { createWriteBuffer } from '../../../state/write-buffer.ts';

function setup(thread = new ThreadCache(1024 * 1024), taskId = '0_0') {
  const changelog = createInMemoryChangelogSink();
  const writeBuffer = createWriteBuffer(createMemoryBackend());
  const store = buildWindowStore(
    'per-window',
    stringSerde() as never,
    jsonSerde<number>() as never,
    { kind: 'window', retentionMs: 100, retainDuplicates: false, segmentIntervalMs: 50 },
    true,
    { writeBuffer, changelog, cache: { thread, taskId, recordContext: () => undefined } },
    true,
  ) as WindowStore<string, number>;
  const cached = asCachedStore<CachedWindowKey<string>, number>(store);
  if (cached === undefined) throw new Error('the store has no cache');
  const forwarded: CacheFlushRecord<CachedWindowKey<string>, number>[] = [];
  cached.setFlushListener((r) => void forwarded.push(r));
  const flat = () => forwarded.map((r) => [r.key.key, r.key.windowStart, r.newValue, r.oldValue]);
  return { store, cached, changelog, flat, thread, forwarded };
}

describe('caching window store', () => {
  it('forwards each window once per flush with its old value; fetches see cached windows', async () => {
    const { store, cached, changelog, flat } = setup();
    store.put('a', 1, 0);
    store.put('a', 2, 0);
    store.put('a', 1, 10);
    store.put('b', 1, 0);
    expect(store.fetchOne('a', 0)).toBe(2);
    const fetched: [number, number][] = [];
    for await (const w of store.fetch('a', 0, 10)) fetched.push([w.windowStart, w.value]);
    expect(fetched).toEqual([
      [0, 2],
      [10, 1],
    ]);
    expect(changelog.records).toHaveLength(0);
    await cached.flushCache();
    store.put('a', 3, 0);
    await cached.flushCache();
    expect(flat()).toEqual([
      ['a', 0, 2, null],
      ['a', 10, 1, null],
      ['b', 0, 1, null],
      ['a', 0, 3, 2],
    ]);
    expect(changelog.records).toHaveLength(4);
  });

  it('forwards nothing for windows that retention drops (segment expiry deletes below the processor)', async () => {
    const { store, cached, flat } = setup();
    store.put('a', 1, 0);
    await cached.flushCache();
    store.put('a', 1, 300); // windows at 0 are now past the 100 ms retention
    await store.expire();
    await cached.flushCache();
    expect(flat()).toEqual([
      ['a', 0, 1, null],
      ['a', 300, 1, null],
    ]);
    expect(store.fetchOne('a', 0)).toBeUndefined();
  });

  it("a put evicts only from its own store's cache, even when another store holds most of the budget", () => {
    const thread = new ThreadCache(300);
    const one = setup(thread, '0_0');
    const two = setup(thread, '0_1');
    one.store.put('a', 1, 0);
    one.store.put('b', 1, 0);
    one.store.put('c', 1, 0);
    expect(one.forwarded).toEqual([]);
    two.store.put('x', 1, 0); // over budget: two's own (only) entry goes, one keeps its three
    expect(two.flat()).toEqual([['x', 0, 1, null]]);
    expect(one.flat()).toEqual([]);
  });
});
