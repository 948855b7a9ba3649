import { onTestFinished } from 'vitest';
import type { StoreBackend } from '../../state/backend.ts';
import {
  createWriteBuffer,
  jsonSerde,
  Stores,
  stringSerde,
  type KeyValueStore,
  type WriteBuffer,
} from '../../state/index.ts';

/** Opens a backend; `reopen` opens the same location again (after the previous instance was closed). */
export interface BackendHarness {
  open(): Promise<StoreBackend>;
  /** Removes whatever the harness created. */
  cleanup(): Promise<void>;
}

/** How a backend under test is made. */
export interface BackendFactory {
  name: string;
  persistent: boolean;
  harness(): Promise<BackendHarness>;
}

/** What a contract case works on: a fresh backend with store `kv` (string keys, JSON values) over a write buffer. */
export interface KvStoreUnderTest {
  harness: BackendHarness;
  backend: StoreBackend;
  buffer: WriteBuffer;
  store: KeyValueStore<string, unknown>;
}

export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/**
 * Opens a fresh backend of `factory` and builds store `kv` on it the way tasks build stores
 * (Stores.keyValueStoreBuilder(...).build({ writeBuffer })); both are closed and removed when the test ends.
 */
export async function openKvStore(factory: BackendFactory): Promise<KvStoreUnderTest> {
  const harness = await factory.harness();
  const backend = await harness.open();
  onTestFinished(async () => {
    await backend.close();
    await harness.cleanup();
  });
  const buffer = createWriteBuffer(backend);
  const store = Stores.keyValueStoreBuilder('kv', stringSerde(), jsonSerde<unknown>())
    .withLoggingDisabled()
    .build({ writeBuffer: buffer });
  return { harness, backend, buffer, store };
}
