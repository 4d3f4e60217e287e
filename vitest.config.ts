import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Names the run; drops its PostgreSQL test databases when it ends (test/support/pg-databases.ts).
    globalSetup: ['test/support/global-setup.ts'],
  },
});
