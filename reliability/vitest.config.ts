import { defineConfig } from 'vitest/config';

// One file at a time: each starts real servers and loads them, and the database-restart check restarts the shared
// PostgreSQL instance, so files running side by side would disturb each other's figures.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['src/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
