import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const cwd = fileURLToPath(new URL('..', import.meta.url));
const eslint = new ESLint({ cwd });

/** The rule ids eslint reports for `code` placed at `filePath`. */
async function violations(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((m) => m.ruleId ?? m.message);
}

describe('dependency fences (shared/ARCHITECTURE.md §2)', () => {
  it.each([
    ['src/runtime/x.ts', "import { open } from 'lmdb';\nexport const o = open;\n"],
    ['state/memory/x.ts', "import { Level } from 'level';\nexport const l = Level;\n"],
    ['src/runtime/x.ts', "import { Producer } from '@platformatic/kafka';\nexport const p = Producer;\n"],
    ['src/runtime/x.ts', "import Fastify from 'fastify';\nexport const f = Fastify;\n"],
    ['src/server/x.ts', "import { Counter } from 'prom-client';\nexport const c = Counter;\n"],
    ['processors/healthcare/orders/x.ts', "import Fastify from 'fastify';\nexport const f = Fastify;\n"],
  ])('refuses a fenced package outside its room: %s', async (file, code) => {
    expect(await violations(file, code)).toContain('no-restricted-imports');
  });

  it.each([
    ['state/lmdb/x.ts', "import { open } from 'lmdb';\nexport const o = open;\n"],
    ['src/kafka/x.ts', "import { Producer } from '@platformatic/kafka';\nexport const p = Producer;\n"],
    ['src/server/x.ts', "import Fastify from 'fastify';\nexport const f = Fastify;\n"],
    ['processors/healthcare/http/x.ts', "import Fastify from 'fastify';\nexport const f = Fastify;\n"],
    ['src/metrics/x.ts', "import { Counter } from 'prom-client';\nexport const c = Counter;\n"],
  ])('allows a package in its own room: %s', async (file, code) => {
    expect(await violations(file, code)).not.toContain('no-restricted-imports');
  });

  it('keeps the framework from importing the healthcare application, but not from src/topology', async () => {
    expect(await violations('src/runtime/x.ts', "export * from '../../topology/x.ts';\n")).toContain(
      'fence/no-app-imports',
    );
    expect(await violations('state/x.ts', "export * from '../processors/healthcare/x.ts';\n")).toContain(
      'fence/no-app-imports',
    );
    expect(await violations('src/test-driver/x.ts', "export * from '../topology/index.ts';\n")).not.toContain(
      'fence/no-app-imports',
    );
    expect(
      await violations('processors/healthcare/x.ts', "export * from '../../topology/x.ts';\n"),
    ).not.toContain('fence/no-app-imports');
  });
});
