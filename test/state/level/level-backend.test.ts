import { describe, expect, it, onTestFinished } from 'vitest';
import { openLevelBackend } from '../../../state/level/index.ts';
import { tmpDir } from '../tmp-dir.ts';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('level backend', () => {
  it('refuses a second owner of the same task directory', async () => {
    const dir = await tmpDir('level-lock');
    const first = await openLevelBackend({ path: dir.path });
    onTestFinished(async () => {
      await first.close();
      await dir.remove();
    });
    await expect(openLevelBackend({ path: dir.path })).rejects.toMatchObject({
      code: 'MR_STATE_OPEN_FAILED',
    });
  });

  it('counts entries exactly when one commit writes a key several times, and after reopen', async () => {
    const dir = await tmpDir('level-count');
    onTestFinished(() => dir.remove());
    const backend = await openLevelBackend({ path: dir.path });
    await backend.commit(
      [
        { store: 's', key: utf8('a'), value: utf8('1') },
        { store: 's', key: utf8('a'), value: utf8('2') },
        { store: 's', key: utf8('b'), value: utf8('1') },
        { store: 's', key: utf8('b'), value: null },
        { store: 's', key: utf8('b'), value: utf8('3') },
        { store: 's', key: utf8('c'), value: null },
      ],
      new Map(),
    );
    expect(backend.openStore('s').approximateNumEntries()).toBe(2);
    await backend.commit([{ store: 's', key: utf8('a'), value: null }], new Map());
    expect(backend.openStore('s').approximateNumEntries()).toBe(1);
    await backend.close();
    const again = await openLevelBackend({ path: dir.path });
    try {
      expect(again.openStore('s').approximateNumEntries()).toBe(1);
      expect(again.storeNames()).toEqual(['s']);
    } finally {
      await again.close();
    }
  });
});
