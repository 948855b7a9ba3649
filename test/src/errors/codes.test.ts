import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, MillraceError, isMillraceError } from '../../../src/errors/index.ts';
import { renderErrorTable } from '../../../src/errors/write-docs.ts';

describe('error codes', () => {
  it('docs/errors.md lists exactly the codes of src/errors/codes.ts (run `npm run docs:errors` to update it)', () => {
    const doc = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
    const documented = [...doc.matchAll(/^\| `(MR_[A-Z0-9_]+)` \| (.*) \|$/gm)].map((m) => [m[1], m[2]]);
    expect(Object.fromEntries(documented)).toEqual(ERROR_CODES);
    expect(doc).toContain(renderErrorTable());
  });

  it('every code is MR_ + upper snake case, and carries a meaning', () => {
    for (const [code, meaning] of Object.entries(ERROR_CODES)) {
      expect(code).toMatch(/^MR_[A-Z0-9]+(_[A-Z0-9]+)*$/);
      expect(meaning.length).toBeGreaterThan(10);
    }
  });

  it('MillraceError keeps code, cause and task id', () => {
    const cause = new Error('disk full');
    const err = new MillraceError('MR_CONFIG_INVALID', 'state.dir is not writable: choose another', {
      cause,
      taskId: '0_3',
    });
    expect(err).toBeInstanceOf(Error);
    expect(isMillraceError(err, 'MR_CONFIG_INVALID')).toBe(true);
    expect(isMillraceError(err, 'MR_KAFKA_CONNECT')).toBe(false);
    expect(err.cause).toBe(cause);
    expect(err.taskId).toBe('0_3');
    expect(err.summary).toBe(ERROR_CODES.MR_CONFIG_INVALID);
  });
});
