import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// The root Vitest config: one project per package. Run with `vitest --config vitest.workspace.ts`.
export default defineConfig({
  test: {
    // Vitest leaves a core free by default, which on a 2-core machine runs the files one at a time (3 min 18 s
    // instead of 2 min 27 s): the files wait on their databases often enough for two to share the cores.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      { test: { name: 'contracts', include: ['packages/contracts/src/**/*.test.ts'] } },
      { test: { name: 'db', include: ['packages/db/src/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 60_000 } },
      {
        test: {
          name: 'server',
          include: ['apps/server/src/**/*.test.ts'],
          globalSetup: ['apps/server/src/test/global-setup.ts'],
          // The files of one worker share their imports (the app, Fastify, Drizzle) instead of loading them again
          // each: 2 min instead of 3 on 2 cores. Each file still opens its own database and app (test/harness.ts).
          isolate: false,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      { test: { name: 'web', include: ['apps/web/{src,build}/**/*.test.{ts,tsx}'] } },
      { test: { name: 'sdk', include: ['packages/sdk/src/**/*.test.ts'], testTimeout: 30_000 } },
    ],
  },
});
