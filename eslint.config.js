// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
  { room: 'src/metrics/**', packages: ['prom-client'] },
];

/** The framework never imports the healthcare application (ARCHITECTURE.md §2). */
const frameworkFence = {
  group: ['**/processors/healthcare/**', '**/topology/**'],
  message: 'The framework (src/, state/, processors/builtin/) must not import the healthcare application.',
};

/** @param {string[]} allowed @param {boolean} framework */
function restrictedImports(allowed, framework) {
  const patterns = fences
    .filter((f) => !allowed.includes(f.room))
    .map((f) => ({
      group: f.packages,
      message: `Only ${f.room.replace('/**', '/')} may import ${f.packages.join(', ')} (dependency fence, shared/ARCHITECTURE.md).`,
    }));
  if (framework) patterns.push(frameworkFence);
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
      'no-restricted-imports': restrictedImports([], false),
    },
  },
  { files: frameworkGlobs, rules: { 'no-restricted-imports': restrictedImports([], true) } },
  ...fences.map((f) => ({
    files: [`${f.room}/*.ts`, `${f.room}`],
    rules: { 'no-restricted-imports': restrictedImports([f.room], true) },
  })),
  // Tests and benchmarks may reach any dependency (a test of the fence itself, a bench of a raw client).
  { files: ['test/**/*.ts', 'bench/**/*.ts'], rules: { 'no-restricted-imports': 'off' } },
);
