import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh temporary directory and a function that removes it. */
export async function tmpDir(prefix: string): Promise<{ path: string; remove: () => Promise<void> }> {
  const base = await mkdtemp(join(tmpdir(), `millrace-${prefix}-`));
  // The task directory itself is created by the backend, as `<state.dir>/<application.id>/<taskId>` would be.
  const path = join(base, 'app', '0_0');
  return { path, remove: () => rm(base, { recursive: true, force: true }) };
}
