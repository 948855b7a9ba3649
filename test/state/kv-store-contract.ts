import { describe, expect, it, onTestFinished } from 'vitest';
import {
  bytesSerde,
  jsonSerde,
  createWriteBuffer,
  Stores,
  stringSerde,
  type KeyValue,
  type KeyValueStore,
  type WriteBuffer,
} from '../../state/index.ts';
import { collect, openKvStore, utf8, type BackendFactory } from './kv-store-harness.ts';
import { kvStoreRestoreCases } from './kv-store-restore-contract.ts';

export type { BackendFactory, BackendHarness } from './kv-store-harness.ts';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

const keys = <K, V>(entries: KeyValue<K, V>[]): K[] => entries.map((e) => e.key);

/**
 * The one key-value store contract every backend passes (as Quix runs one suite over memory and RocksDB).
 * Stores are built the way tasks build them: Stores.keyValueStoreBuilder(...).build({ writeBuffer }).
 */
export function kvStoreContract(factory: BackendFactory): void {
  describe(`key-value store contract: ${factory.name}`, () => {
    const setup = () => openKvStore(factory);

    async function seeded(flush: boolean): Promise<Awaited<ReturnType<typeof setup>>> {
      const s = await setup();
      for (const k of ['a', 'b', 'c', 'd', 'e']) s.store.put(k, k.toUpperCase());
      if (flush) await s.buffer.flush();
      return s;
    }

    it('gets, puts, deletes, putIfAbsent, putAll', async () => {
      const { store, buffer } = await setup();
      expect(store.get('x')).toBeUndefined();
      store.put('x', { n: 1 });
      expect(store.get('x')).toEqual({ n: 1 });
      expect(store.putIfAbsent('x', { n: 2 })).toEqual({ n: 1 });
      expect(store.get('x')).toEqual({ n: 1 });
      expect(store.putIfAbsent('y', 5)).toBeUndefined();
      expect(store.get('y')).toBe(5);
      store.putAll([
        { key: 'p', value: 'P' },
        { key: 'q', value: 'Q' },
      ]);
      expect(store.delete('x')).toEqual({ n: 1 });
      expect(store.delete('x')).toBeUndefined();
      expect(store.get('x')).toBeUndefined();
      await buffer.flush();
      expect([store.get('x'), store.get('y'), store.get('p'), store.get('q')]).toEqual([
        undefined,
        5,
        'P',
        'Q',
      ]);
      expect(store.delete('y')).toBe(5);
      await buffer.flush();
      expect(store.get('y')).toBeUndefined();
      expect(store.persistent).toBe(factory.persistent);
    });

    for (const flushed of [true, false]) {
      describe(flushed ? 'on flushed data' : 'on buffered data', () => {
        it('ranges with inclusive bounds, open bounds, reverse and limit', async () => {
          const { store } = await seeded(flushed);
          expect(keys(await collect(store.range('b', 'd')))).toEqual(['b', 'c', 'd']);
          expect(keys(await collect(store.range('bb', 'dd')))).toEqual(['c', 'd']);
          expect(keys(await collect(store.range(undefined, 'b')))).toEqual(['a', 'b']);
          expect(keys(await collect(store.range('d', undefined)))).toEqual(['d', 'e']);
          expect(keys(await collect(store.range('b', 'd', { reverse: true })))).toEqual(['d', 'c', 'b']);
          expect(keys(await collect(store.range(undefined, undefined, { reverse: true, limit: 2 })))).toEqual(
            ['e', 'd'],
          );
          expect(keys(await collect(store.range('b', undefined, { limit: 2 })))).toEqual(['b', 'c']);
          expect(await collect(store.range('d', 'b'))).toEqual([]);
          expect(await collect(store.range('a', 'e', { limit: 0 }))).toEqual([]);
          expect((await collect(store.range('c', 'c'))).map((e) => e.value)).toEqual(['C']);
        });

        it('scans all, forwards and in reverse', async () => {
          const { store } = await seeded(flushed);
          expect(await collect(store.all())).toEqual(
            ['a', 'b', 'c', 'd', 'e'].map((k) => ({ key: k, value: k.toUpperCase() })),
          );
          expect(keys(await collect(store.all({ reverse: true })))).toEqual(['e', 'd', 'c', 'b', 'a']);
          expect(keys(await collect(store.all({ limit: 3 })))).toEqual(['a', 'b', 'c']);
        });

        it('counts entries', async () => {
          const { store } = await seeded(flushed);
          expect(store.approximateNumEntries()).toBe(5);
          store.delete('a');
          store.delete('zz');
          store.put('b', 'again');
          store.put('f', 'F');
          expect(store.approximateNumEntries()).toBe(5);
        });
      });
    }

    it('prefix-scans across a shared prefix, in byte order', async () => {
      const { store, buffer } = await setup();
      for (const k of ['b', 'abc', 'a', 'ab', 'abd', 'ac', 'ab\u00ff']) store.put(k, 1);
      await buffer.flush();
      store.put('abb', 2); // buffered, between flushed keys
      expect(keys(await collect(store.all()))).toEqual([
        'a',
        'ab',
        'abb',
        'abc',
        'abd',
        'ab\u00ff',
        'ac',
        'b',
      ]);
      expect(keys(await collect(store.prefixScan('ab')))).toEqual(['ab', 'abb', 'abc', 'abd', 'ab\u00ff']);
      expect(keys(await collect(store.prefixScan('ab', { reverse: true, limit: 2 })))).toEqual([
        'ab\u00ff',
        'abd',
      ]);
      expect(keys(await collect(store.prefixScan('')))).toHaveLength(8);
      expect(await collect(store.prefixScan('z'))).toEqual([]);
    });

    it('keeps stores apart, even when one name prefixes another', async () => {
      const { buffer } = await setup();
      const build = (name: string): KeyValueStore<string, number> =>
        Stores.keyValueStoreBuilder(name, stringSerde(), jsonSerde<number>())
          .withLoggingDisabled()
          .build({ writeBuffer: buffer });
      const [ab, abc] = [build('ab'), build('abc')];
      ab.put('k', 1);
      abc.put('k', 2);
      abc.put('l', 3);
      await buffer.flush();
      expect([ab.get('k'), abc.get('k'), ab.get('l')]).toEqual([1, 2, undefined]);
      expect(await collect(ab.all())).toEqual([{ key: 'k', value: 1 }]);
      expect([ab.approximateNumEntries(), abc.approximateNumEntries()]).toEqual([1, 2]);
    });

    it('shows buffered writes and tombstones to reads and scans before flush', async () => {
      const { store, backend } = await seeded(true);
      store.put('c', 'new');
      store.delete('b');
      store.put('bb', 'BB');
      store.delete('d');
      store.put('d', 'D2'); // delete then put again
      expect(store.get('c')).toBe('new');
      expect(store.get('b')).toBeUndefined();
      expect(backend.openStore('kv').get(utf8('b'))).toBeDefined(); // not yet in the backend
      expect(await collect(store.all())).toEqual([
        { key: 'a', value: 'A' },
        { key: 'bb', value: 'BB' },
        { key: 'c', value: 'new' },
        { key: 'd', value: 'D2' },
        { key: 'e', value: 'E' },
      ]);
      // A tombstone inside the limit window must not shorten the result.
      expect(keys(await collect(store.all({ limit: 2 })))).toEqual(['a', 'bb']);
      expect(keys(await collect(store.range('a', 'c', { reverse: true, limit: 2 })))).toEqual(['c', 'bb']);
    });

    it('discard drops buffered writes', async () => {
      const { store, buffer } = await seeded(true);
      store.put('a', 'changed');
      store.delete('b');
      store.put('z', 'Z');
      expect(buffer.dirtyCount).toBe(3);
      buffer.discard();
      expect(buffer.dirtyCount).toBe(0);
      expect([store.get('a'), store.get('b'), store.get('z')]).toEqual(['A', 'B', undefined]);
      expect(keys(await collect(store.all()))).toEqual(['a', 'b', 'c', 'd', 'e']);
    });

    it('keeps writes readable while a flush runs, and allows one flush at a time', async () => {
      const { store, buffer } = await seeded(false);
      const flushing = buffer.flush(new Map([['in:0', 1n]]));
      const second = buffer.flush(); // started while the first is running
      store.put('f', 'F');
      expect(store.get('a')).toBe('A');
      const scanned = collect(store.all());
      await expect(second).rejects.toMatchObject({ code: 'MR_STATE_FLUSH_IN_PROGRESS' });
      expect(keys(await scanned)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
      await flushing;
      expect(buffer.dirtyCount).toBe(1);
      expect(keys(await collect(store.all()))).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    });

    it('handles binary keys with 0x00 and 0xff bytes in unsigned byte order', async () => {
      const { buffer } = await setup();
      const bin = Stores.keyValueStoreBuilder('bin', bytesSerde(), bytesSerde())
        .withLoggingDisabled()
        .build({ writeBuffer: buffer });
      const ks = [
        [0xff, 0xff],
        [0x00],
        [0x7f],
        [0x80],
        [0x00, 0x00],
        [0x00, 0xff],
        [0x01],
        [0xff],
        [0xff, 0x00],
      ];
      for (const [i, k] of ks.entries()) bin.put(Uint8Array.from(k), Uint8Array.of(i));
      const expected = ['00', '0000', '00ff', '01', '7f', '80', 'ff', 'ff00', 'ffff'];
      const check = async (): Promise<void> => {
        expect((await collect(bin.all())).map((e) => hex(e.key))).toEqual(expected);
        expect((await collect(bin.all({ reverse: true }))).map((e) => hex(e.key))).toEqual(
          [...expected].reverse(),
        );
        expect((await collect(bin.prefixScan(Uint8Array.of(0xff)))).map((e) => hex(e.key))).toEqual([
          'ff',
          'ff00',
          'ffff',
        ]);
        expect((await collect(bin.prefixScan(Uint8Array.of(0x00)))).map((e) => hex(e.key))).toEqual([
          '00',
          '0000',
          '00ff',
        ]);
        expect(
          (await collect(bin.range(Uint8Array.of(0x00, 0x00), Uint8Array.of(0x80)))).map((e) => hex(e.key)),
        ).toEqual(['0000', '00ff', '01', '7f', '80']);
        expect(hex(bin.get(Uint8Array.of(0x00, 0xff)) as Uint8Array)).toBe('05');
      };
      await check();
      await buffer.flush();
      await check();
    });

    it('rejects empty and oversized keys when they are written, not at commit', async () => {
      const { buffer, backend, store } = await setup();
      const bin = Stores.keyValueStoreBuilder('bin', bytesSerde(), bytesSerde())
        .withLoggingDisabled()
        .build({ writeBuffer: buffer });
      expect(() => bin.put(new Uint8Array(0), Uint8Array.of(1))).toThrow(
        expect.objectContaining({ code: 'MR_STATE_KEY_INVALID' }),
      );
      expect(() => store.put('x'.repeat(backend.maxKeySize + 1), 1)).toThrow(
        expect.objectContaining({ code: 'MR_STATE_KEY_INVALID' }),
      );
      store.put('x'.repeat(backend.maxKeySize), 1);
      await buffer.flush();
      expect(store.get('x'.repeat(backend.maxKeySize))).toBe(1);
    });

    it('commits checkpoints with the writes', async () => {
      const { backend, buffer, store } = await seeded(false);
      expect(backend.readCheckpoints()).toEqual(new Map());
      await buffer.flush(
        new Map([
          ['orders:0', 42n],
          ['app-kv-changelog:0', 5n],
        ]),
      );
      expect(backend.readCheckpoints()).toEqual(
        new Map([
          ['orders:0', 42n],
          ['app-kv-changelog:0', 5n],
        ]),
      );
      store.put('a', 'A2');
      await buffer.flush(new Map([['orders:0', 43n]]));
      expect(backend.readCheckpoints()).toEqual(
        new Map([
          ['orders:0', 43n],
          ['app-kv-changelog:0', 5n],
        ]),
      );
      await buffer.flush(new Map([['orders:0', 2n ** 62n]])); // checkpoints advance without writes
      expect(backend.readCheckpoints().get('orders:0')).toBe(2n ** 62n);
      await expect(buffer.flush(new Map([['orders:0', -1n]]))).rejects.toMatchObject({
        code: 'MR_STATE_CHECKPOINT_INVALID',
      });
    });

    if (factory.persistent) {
      it('persists flushed writes and their checkpoints across close and reopen', async () => {
        const harness = await factory.harness();
        onTestFinished(() => harness.cleanup());
        const first = await harness.open();
        const buffer = createWriteBuffer(first);
        const build = (wb: WriteBuffer): KeyValueStore<string, string> =>
          Stores.keyValueStoreBuilder('kv', stringSerde(), stringSerde())
            .withLoggingDisabled()
            .build({ writeBuffer: wb });
        const store = build(buffer);
        store.put('a', '1');
        store.put('b', '2');
        await buffer.flush(new Map([['in:3', 10n]]));
        store.delete('a');
        store.put('c', '3');
        await buffer.flush(new Map([['in:3', 11n]]));
        store.put('lost', 'never flushed');
        expect(await first.sizeOnDisk()).toBeGreaterThan(0);
        await first.close();
        await expect(async () => first.openStore('kv').get(utf8('b'))).rejects.toMatchObject({
          code: 'MR_STATE_CLOSED',
        });

        const second = await harness.open();
        try {
          const again = build(createWriteBuffer(second));
          expect(second.readCheckpoints()).toEqual(new Map([['in:3', 11n]]));
          expect(await collect(again.all())).toEqual([
            { key: 'b', value: '2' },
            { key: 'c', value: '3' },
          ]);
          expect(again.approximateNumEntries()).toBe(2);
          expect(second.storeNames()).toContain('kv');
        } finally {
          await second.close();
        }
      });

      it('destroy wipes the task directory', async () => {
        const harness = await factory.harness();
        onTestFinished(() => harness.cleanup());
        const first = await harness.open();
        await first.commit([{ store: 'kv', key: utf8('a'), value: utf8('1') }], new Map([['in:0', 1n]]));
        await first.destroy();
        const second = await harness.open();
        try {
          expect(second.readCheckpoints().size).toBe(0);
          expect(second.openStore('kv').get(utf8('a'))).toBeUndefined();
        } finally {
          await second.close();
        }
      });
    }

    kvStoreRestoreCases(setup);

    it('commits the writes of several stores in one commit', async () => {
      const { backend, buffer } = await setup();
      const build = (name: string): KeyValueStore<string, number> =>
        Stores.keyValueStoreBuilder(name, stringSerde(), jsonSerde<number>())
          .withLoggingDisabled()
          .build({ writeBuffer: buffer });
      const [one, two] = [build('one'), build('two')];
      one.put('k', 1);
      two.put('k', 2);
      await buffer.flush(new Map([['in:0', 7n]]));
      expect(hex(backend.openStore('one').get(utf8('k')) as Uint8Array)).toBe(hex(utf8('1')));
      expect(hex(backend.openStore('two').get(utf8('k')) as Uint8Array)).toBe(hex(utf8('2')));
      expect(backend.readCheckpoints().get('in:0')).toBe(7n);
    });

    it('scans one snapshot even when a commit lands during iteration', async () => {
      const { store, buffer } = await seeded(true);
      const seen: string[] = [];
      for await (const { key } of store.all()) {
        seen.push(key);
        if (key === 'a') {
          store.delete('d');
          store.put('c2', 'new');
          await buffer.flush();
        }
      }
      expect(seen).toEqual(['a', 'b', 'c', 'd', 'e']);
      expect(keys(await collect(store.all()))).toEqual(['a', 'b', 'c', 'c2', 'e']);
    });

    it('rejects invalid store names', async () => {
      const { backend } = await setup();
      for (const name of ['', 'has space', '__millrace_checkpoints', 'x'.repeat(201)]) {
        expect(() => backend.openStore(name)).toThrow(
          expect.objectContaining({ code: 'MR_STATE_STORE_INVALID' }),
        );
      }
    });
  });
}
