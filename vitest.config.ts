import { defineConfig } from 'vitest/config';

// Tests sit beside the code (*.test.ts). Servers they need (MariaDB, s3rver, test K8s API server,
// test Kafka broker) are started by the tests themselves on 127.0.0.1.
export default defineConfig({
  test: {
    include: ['shared/**/*.test.ts', 'scripts/**/*.test.ts', 'electron/**/*.test.ts', 'renderer/src/**/*.test.ts', 'e2e/**/*.test.ts'],
    globalSetup: ['scripts/testing/global-setup.ts'],
    // Every contract answer and event is checked against its output schema in tests, here and in
    // every process a test spawns (driftline serve): see shared/core/api/dispatch.ts.
    env: { DRIFTLINE_CHECK_OUTPUTS: '1' },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
  },
});
