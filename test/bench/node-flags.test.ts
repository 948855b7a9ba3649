import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NODE_FLAGS } from '../../bench/lib/node-flags.ts';

const root = new URL('../../', import.meta.url);

describe('NODE_FLAGS', () => {
  it('are the flags Millrace ships with: npm start, npm run millrace and the Docker entrypoint', () => {
    const scripts = (
      JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
        scripts: Record<string, string>;
      }
    ).scripts;
    const entrypoint = /^ENTRYPOINT (.*)$/m.exec(readFileSync(new URL('Dockerfile', root), 'utf8'))?.[1];
    expect(NODE_FLAGS.length).toBeGreaterThan(0);
    for (const flag of NODE_FLAGS) {
      expect(scripts.start).toContain(`node ${flag} `);
      expect(scripts.millrace).toContain(`node ${flag} `);
      expect(JSON.parse(entrypoint ?? '[]')).toContain(flag);
    }
  });
});
