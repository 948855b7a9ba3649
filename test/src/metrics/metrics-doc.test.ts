import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createMillraceMetrics } from '../../../src/metrics/index.ts';

describe('docs/metrics.md', () => {
  it('lists exactly the metrics the registry has', () => {
    const doc = readFileSync(new URL('../../../docs/metrics.md', import.meta.url), 'utf8');
    const documented = new Set([...doc.matchAll(/^\|\s*`(millrace_[a-z0-9_]+)`\s*\|/gm)].map((m) => m[1]));
    const names = createMillraceMetrics({ apps: new Map() }).names();
    expect(new Set(names.filter((n) => n.startsWith('millrace_')))).toEqual(documented);
    // Process metrics are documented by family.
    const others = names.filter((n) => !n.startsWith('millrace_'));
    expect(others.length).toBeGreaterThan(0);
    for (const n of others) expect(n).toMatch(/^(process|nodejs)_/);
    expect(doc).toMatch(/`process_\*`/);
    expect(doc).toMatch(/`nodejs_\*`/);
  });
});
