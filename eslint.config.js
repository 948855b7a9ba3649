// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Dependency fences (shared/ARCHITECTURE.md §2): each third-party dependency is imported by one room only,
 * the way Kafka Streams fences RocksDB into its state package. A fence is `[room glob, package patterns]`;
 * every other file is forbidden to import those packages.
 */
const fences = [
  { room: 'state/lmdb/**', packages: ['lmdb'] },
  { room: 'state/level/**', packages: ['level', 'classic-level'] },
  { room: 'src/kafka/**', packages: ['@platformatic/kafka'] },
  { room: 'src/server/**', packages: ['fastify', '@fastify/*'] },
  { room: 'processors/healthcare/http/**', packages: ['fastify', '@fastify/*'] },
  { room: 'src/metrics/**', packages: ['prom-client'] },
];

/**
 * The framework never imports the healthcare application (ARCHITECTURE.md §2): a local rule resolves each
 * relative import and refuses targets under the root `topology/` or `processors/healthcare/` (a glob on the
 * import text cannot tell the root `topology/` from `src/topology/`).
 */
const root = path.dirname(fileURLToPath(import.meta.url));
const appFolders = ['topology/', 'processors/healthcare/'];
const fencePlugin = {
  rules: {
    'no-app-imports': {
      meta: { type: 'problem', schema: [] },
      create(context) {
        const check = (node) => {
          const source = node.source;
          if (!source || typeof source.value !== 'string' || !source.value.startsWith('.')) return;
          const target = path.relative(root, path.resolve(path.dirname(context.filename), source.value));
          if (appFolders.some((f) => target.startsWith(f))) {
            context.report({
              node: source,
              message: `The framework (src/, state/, processors/builtin/) must not import the healthcare application (${target}).`,
            });
          }
        };
        return {
          ImportDeclaration: check,
          ExportNamedDeclaration: check,
          ExportAllDeclaration: check,
          ImportExpression: check,
        };
      },
    },
  },
};

/** @param {string[]} allowed packages the file's room may import */
function restrictedImports(allowed) {
  const patterns = fences
    .filter((f) => !f.packages.some((p) => allowed.includes(p)))
    .map((f) => ({
      group: f.packages,
      message: `Only ${f.room.replace('/**', '/')} may import ${f.packages.join(', ')} (dependency fence, shared/ARCHITECTURE.md).`,
    }));
  return ['error', { patterns }];
}

const frameworkGlobs = ['src/**/*.ts', 'state/**/*.ts', 'processors/builtin/**/*.ts'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.millrace/**', 'bench/**/target/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': restrictedImports([]),
    },
  },
  { files: frameworkGlobs, plugins: { fence: fencePlugin }, rules: { 'fence/no-app-imports': 'error' } },
  ...fences.map((f) => ({
    files: [`${f.room}/*.ts`, `${f.room}`],
    rules: { 'no-restricted-imports': restrictedImports(f.packages) },
  })),
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  // Tests and benchmarks may reach any dependency (a test of the fence itself, a bench of a raw client).
  { files: ['test/**/*.ts', 'bench/**/*.ts'], rules: { 'no-restricted-imports': 'off' } },
);
