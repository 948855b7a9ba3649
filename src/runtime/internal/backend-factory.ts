import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { StoreBackend } from '../../../state/index.ts';

/**
 * Opens the storage of one task, `<state.dir>/<application.id>/<taskId>/`, with the configured backend. The
 * backend module is imported on first use, so only the chosen backend's dependency is loaded.
 */
export function backendFactory(
  kind: 'lmdb' | 'level' | 'memory',
  appStateDir: string,
): (taskId: string) => Promise<StoreBackend> {
  return async (taskId) => {
    const path = join(appStateDir, taskId);
    switch (kind) {
      case 'lmdb':
        return (await import('../../../state/lmdb/index.ts')).createLmdbBackend({ path });
      case 'level':
        return (await import('../../../state/level/index.ts')).openLevelBackend({ path });
      case 'memory':
        return (await import('../../../state/memory/index.ts')).createMemoryBackend();
    }
  };
}

/** Task ids with a state directory on local disk. */
export function localTaskIds(appStateDir: string): string[] {
  if (!existsSync(appStateDir)) return [];
  return readdirSync(appStateDir).filter((name) => /^\d+_\d+$/.test(name));
}
