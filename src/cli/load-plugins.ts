import { pathToFileURL } from 'node:url';
import { MillraceError } from '../errors/index.ts';
import type { MillracePlugin } from '../server/plugin.ts';

/** Imports each plugin module and checks that its default export is a {@link MillracePlugin}. */
export async function loadPlugins(paths: readonly string[]): Promise<MillracePlugin[]> {
  const out: MillracePlugin[] = [];
  for (const path of paths) {
    let mod: { default?: unknown };
    try {
      mod = (await import(pathToFileURL(path).href)) as { default?: unknown };
    } catch (cause) {
      throw new MillraceError(
        'MR_PLUGIN_INVALID',
        `cannot load the plugin ${path} (${(cause as Error).message}): fix the path under plugins: in the run config`,
        { cause },
      );
    }
    const p = mod.default as Partial<MillracePlugin> | undefined;
    if (!p || typeof p !== 'object' || typeof p.name !== 'string')
      throw new MillraceError(
        'MR_PLUGIN_INVALID',
        `the plugin ${path} has no MillracePlugin default export (an object with a name, register() and/or routes())`,
      );
    out.push(p as MillracePlugin);
  }
  return out;
}
