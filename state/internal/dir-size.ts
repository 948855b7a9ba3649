import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The bytes a directory tree occupies on disk: allocated blocks (`blocks × 512`), not apparent sizes, so a
 * sparse or preallocated file counts for what it really uses. 0 when the directory does not exist.
 */
export async function directorySize(dir: string): Promise<number> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
  let total = 0;
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += await directorySize(path);
    else if (entry.isFile()) {
      const s = await stat(path);
      total += s.blocks * 512;
    }
  }
  return total;
}
