import { describe, expect, it } from 'vitest';
import { createInMemoryChangelogSink } from '../../../state/changelog-sink.ts';
import { createMemoryBackend } from '../../../state/memory/index.ts';
import { Stores } from '../../../state/store-builder.ts';
import { jsonSerde, stringSerde } from '../../../state/serde.ts';
import { createWriteBuffer } from '../../../state/write-buffer.ts';

const text = (b: Uint8Array | null): string | null => (b === null ? null : new TextDecoder().decode(b));

function setup() {
  const changelog = createInMemoryChangelogSink();
  const writeBuffer = createWriteBuffer(createMemoryBackend());
  const store = Stores.keyValueStoreBuilder('counts', stringSerde(), jsonSerde<number>()).build({
    writeBuffer,
    changelog,
  });
  const logged = (): [string, string | null, string | null][] =>
    changelog.records.map((r) => [r.store, text(r.key), text(r.value)]);
  return { changelog, writeBuffer, store, logged };
}

describe('change-logging layer', () => {
  it('logs every put and delete with the serialized bytes, deletes as tombstones', () => {
    const { store, logged } = setup();
    store.put('a', 1);
    store.put('a', 2);
    store.putAll([{ key: 'b', value: 3 }]);
    store.delete('a');
    store.delete('never-written'); // logged too, as Kafka Streams does
    expect(logged()).toEqual([
      ['counts', 'a', '1'],
      ['counts', 'a', '2'],
      ['counts', 'b', '3'],
      ['counts', 'a', null],
      ['counts', 'never-written', null],
    ]);
  });

  it('logs putIfAbsent only when it writes', () => {
    const { store, logged } = setup();
    store.putIfAbsent('a', 1);
    store.putIfAbsent('a', 2);
    expect(logged()).toEqual([['counts', 'a', '1']]);
  });

  it('does not log reads, and does not log a write the buffer rejected', async () => {
    const { store, logged } = setup();
    store.get('a');
    for await (const _ of store.all()) void _;
    expect(() => store.put('', 1)).toThrow(expect.objectContaining({ code: 'MR_STATE_KEY_INVALID' }));
    expect(logged()).toEqual([]);
  });

  it('logs at write time, before the buffer is flushed (exactly-once: inside the Kafka transaction)', async () => {
    const { store, changelog, writeBuffer } = setup();
    store.put('a', 1);
    expect(changelog.records).toHaveLength(1);
    expect(writeBuffer.backend.openStore('counts').get(new TextEncoder().encode('a'))).toBeUndefined();
    await writeBuffer.flush();
    expect(changelog.records).toHaveLength(1);
  });

  it('requires a sink when logging is enabled, and none when disabled', () => {
    const writeBuffer = createWriteBuffer(createMemoryBackend());
    const builder = Stores.keyValueStoreBuilder('s', stringSerde(), stringSerde());
    expect(builder.loggingEnabled).toBe(true);
    expect(() => builder.build({ writeBuffer })).toThrow(
      expect.objectContaining({ code: 'MR_STATE_STORE_INVALID' }),
    );
    const disabled = builder.withLoggingDisabled();
    expect(disabled.loggingEnabled).toBe(false);
    expect(builder.loggingEnabled).toBe(true); // builders are immutable
    disabled.build({ writeBuffer }).put('k', 'v');
    expect(builder.withLoggingEnabled({ 'min.compaction.lag.ms': '0' }).logConfig).toEqual({
      'min.compaction.lag.ms': '0',
    });
  });
});
