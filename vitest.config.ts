import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` (no broker, milliseconds each) and `integration` (`*.integration.test.ts`, a real Kafka
 * broker found or started by test/setup/kafka-global-setup.ts).
 */
export default defineConfig({
  test: {
    reporters: process.env.CI ? ['default', 'junit'] : ['default'],
    outputFile: { junit: '.millrace/test-results/junit.xml' },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.integration.test.ts', 'node_modules/**'],
          testTimeout: 10_000,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.integration.test.ts'],
          globalSetup: ['test/setup/kafka-global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Two cores: two files at a time keep the broker and the tests from starving each other.
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
