import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generatedToken } from '../../../src/cli/start-millrace.ts';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('generatedToken (data routes always need a token)', () => {
  it('generates one on first start, saves it 0600 in the state dir, prints it once, and reuses it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'millrace-token-'));
    dirs.push(dir);
    const lines: string[] = [];
    const first = generatedToken(join(dir, 'state'), (m) => lines.push(m));
    expect(first).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(readFileSync(join(dir, 'state', 'api-token'), 'utf8').trim()).toBe(first);
    expect(statSync(join(dir, 'state', 'api-token')).mode & 0o777).toBe(0o600);
    expect(lines.join('\n')).toContain(first);
    const again: string[] = [];
    expect(generatedToken(join(dir, 'state'), (m) => again.push(m))).toBe(first);
    expect(again.join('\n')).not.toContain(first);
  });
});
