import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRunConfig } from '../../../src/cli/run-config.ts';
import { loadPlugins } from '../../../src/cli/load-plugins.ts';

const dir = mkdtempSync(join(tmpdir(), 'millrace-run-config-'));
const write = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};

describe('the run config file', () => {
  it('resolves paths against its folder and keeps the settings', () => {
    const c = loadRunConfig(
      write(
        'ok.yaml',
        `common: { processing.guarantee: exactly_once_v2 }
topologies: [a.yaml, { path: sub/b.yaml, config: { commit.interval.ms: 50 } }]
plugins: [./p.ts]
topics: [{ name: in, partitions: 6, configs: { retention.ms: '1000' } }]
server: { port: 9000, tls: { certFile: c.pem, keyFile: k.pem } }
`,
      ),
    );
    expect(c.topologies).toEqual([
      { path: join(dir, 'a.yaml') },
      { path: join(dir, 'sub/b.yaml'), config: { 'commit.interval.ms': 50 } },
    ]);
    expect(c.plugins).toEqual([join(dir, 'p.ts')]);
    expect(c.topics[0]).toEqual({ name: 'in', partitions: 6, configs: { 'retention.ms': '1000' } });
    expect(c.server.tls).toEqual({ certFile: join(dir, 'c.pem'), keyFile: join(dir, 'k.pem') });
  });

  it('names what is wrong', () => {
    expect(() => loadRunConfig(write('bad1.yaml', 'topologys: []'))).toThrow(
      /additional properties \("topologys"\)/,
    );
    expect(() => loadRunConfig(write('bad2.yaml', 'topics: [{ name: in, partitions: 0 }]'))).toThrow(
      /\/topics\/0\/partitions must be >= 1/,
    );
    expect(() => loadRunConfig(write('bad3.yaml', 'server: { port: "x" }'))).toThrow(
      /\/server\/port must be integer/,
    );
    expect(() => loadRunConfig(join(dir, 'missing.yaml'))).toThrow(
      /MR_RUN_CONFIG_INVALID|cannot read the run config/,
    );
  });

  it('refuses a plugin without a MillracePlugin default export', async () => {
    const p = write('not-plugin.mjs', 'export default 42;');
    await expect(loadPlugins([p])).rejects.toThrow(/no MillracePlugin default export/);
    const fixture = new URL('../../fixtures/cli/plugin.ts', import.meta.url).pathname;
    expect((await loadPlugins([fixture]))[0]!.name).toBe('fixture');
  });
});
