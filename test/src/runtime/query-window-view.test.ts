import { describe, expect, it } from 'vitest';
import { createInMemoryChangelogSink } from '../../../state/changelog-sink.ts';
import { createMemoryBackend } from '../../../state/memory/index.ts';
import { jsonSerde, stringSerde } from '../../../state/serde.ts';
import { Stores } from '../../../state/store-builder.ts';
import type { StateStore } from '../../../state/types.ts';
import type { Serde } from '../../../state/serde.ts';
import { buildWindowStore } from '../../../state/window-store-builder.ts';
import type { WindowStore } from '../../../state/window-store.ts';
import { createWriteBuffer } from '../../../state/write-buffer.ts';
import { compositeStore } from '../../../src/runtime/internal/query-view.ts';
import { compositeWindowStore } from '../../../src/runtime/internal/query-window-view.ts';
import type { StreamTask } from '../../../src/runtime/internal/stream-task.ts';

const str = stringSerde();
const num = jsonSerde<number>();
const RETENTION = 1_000; // small segments (500 ms): a walk to an open bound would never end

/** A task as the views see it: a lifecycle state and its stores. */
const task = (state: string, stores: Record<string, StateStore>) =>
  ({ lifecycle: { state }, getStore: (n: string) => stores[n] }) as unknown as StreamTask;

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** A task's window store over a write buffer; the same buffer again = the store reopened (time unknown). */
function windowStore(writeBuffer = createWriteBuffer(createMemoryBackend())) {
  return {
    writeBuffer,
    store: buildWindowStore(
      'w',
      str as Serde<unknown>,
      num as Serde<unknown>,
      { kind: 'window', retentionMs: RETENTION, retainDuplicates: false },
      false,
      { writeBuffer },
    ) as WindowStore<string, number>,
  };
}

describe('composite window view', () => {
  // Three tasks' stores; the key of each window decides its task, as partitioning would.
  const puts = Array.from({ length: 60 }, (_, i) => ({
    key: `k${i % 7}`,
    start: 10_000 + (i % 5) * 100,
    value: i,
  }));
  const taskOf = (k: string) => Number(k.slice(1)) % 3;

  function setup(reopen: boolean) {
    const parts = [0, 1, 2].map(() => windowStore());
    for (const p of puts) parts[taskOf(p.key)]!.store.put(p.key, p.value, p.start);
    // Reopened: a fresh store over the same bytes has not observed any time yet (-1).
    const stores = reopen ? parts.map((p) => windowStore(p.writeBuffer).store) : parts.map((p) => p.store);
    const restoring = windowStore().store;
    restoring.put('k0', 999, 10_000);
    const tasks = [
      task('RUNNING', { w: stores[0]! }),
      task('RUNNING', { w: stores[1]! }),
      task('RUNNING', { w: stores[2]! }),
      task('RESTORING', { w: restoring }),
    ];
    return compositeWindowStore<string, number>(
      'w',
      RETENTION,
      () => tasks,
      (k) => str.serialize(k),
    );
  }

  /** The oracle: the last value put per (key, start), from the puts alone. */
  const expected = (key: string | undefined, from: number, to: number) => {
    const last = new Map<string, { key: string; windowStart: number; value: number }>();
    for (const p of puts)
      if ((key === undefined || p.key === key) && p.start >= from && p.start <= to)
        last.set(`${p.key}@${p.start}`, { key: p.key, windowStart: p.start, value: p.value });
    return [...last.values()];
  };
  const sortAll = <T extends { key: string; windowStart: number }>(xs: T[]) =>
    [...xs].sort((a, b) => a.key.localeCompare(b.key) || a.windowStart - b.windowStart);

  for (const reopen of [false, true]) {
    it(`fetches a key's windows in start order up to an open bound${reopen ? ' (reopened store)' : ''}`, async () => {
      const view = setup(reopen);
      for (const key of ['k0', 'k3', 'k6', 'k1']) {
        const got = await collect(view.fetch(key, 0, Number.MAX_SAFE_INTEGER));
        expect(got).toEqual(expected(key, 0, Infinity).sort((a, b) => a.windowStart - b.windowStart));
        const back = await collect(view.fetch(key, 10_100, 10_300, { reverse: true }));
        expect(back.map((w) => w.windowStart)).toEqual([10_300, 10_200, 10_100]);
      }
      expect(view.fetchOne('k2', 10_200)).toBe(expected('k2', 10_200, 10_200)[0]!.value);
      // A RESTORING task is never read: its k0@10000 = 999 does not appear.
      expect((await collect(view.fetch('k0', 10_000, 10_000))).map((w) => w.value)).not.toContain(999);
    });

    it(`fetchAll returns every window of the running tasks once${reopen ? ' (reopened store)' : ''}`, async () => {
      const view = setup(reopen);
      const got = await collect(view.fetchAll(10_100, Number.MAX_SAFE_INTEGER));
      expect(sortAll(got)).toEqual(sortAll(expected(undefined, 10_100, Infinity)));
    });
  }
});

describe('composite key-value view', () => {
  it('merges the tasks by key bytes and stops at the limit', async () => {
    const keys = Array.from({ length: 90 }, (_, i) => `key-${String((i * 37) % 90).padStart(2, '0')}`);
    const stores = [0, 1, 2].map(() =>
      Stores.keyValueStoreBuilder(`kv`, str, num).build({
        writeBuffer: createWriteBuffer(createMemoryBackend()),
        changelog: createInMemoryChangelogSink(),
      }),
    );
    keys.forEach((k, i) => stores[i % 3]!.put(k, i));
    const tasks = stores.map((s) => task('RUNNING', { kv: s }));
    const view = compositeStore<string, number>(
      'kv',
      () => tasks,
      (k) => str.serialize(k),
    );
    const sorted = [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    expect((await collect(view.all())).map((e) => e.key)).toEqual(sorted);
    expect((await collect(view.all({ limit: 10 }))).map((e) => e.key)).toEqual(sorted.slice(0, 10));
    expect((await collect(view.all({ reverse: true, limit: 5 }))).map((e) => e.key)).toEqual(
      [...sorted].reverse().slice(0, 5),
    );
    expect((await collect(view.range('key-20', 'key-29'))).map((e) => e.key)).toEqual(
      sorted.filter((k) => k >= 'key-20' && k <= 'key-29'),
    );
    expect((await collect(view.prefixScan('key-4'))).map((e) => e.key)).toEqual(
      sorted.filter((k) => k.startsWith('key-4')),
    );
  });
});
