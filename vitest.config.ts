import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30000,
    pool: 'forks',
    // at least two workers: vitest's default leaves one core free, which on the 2-core CI machine runs the
    // files one by one (98 s instead of 50 s)
    maxWorkers: Math.max(2, availableParallelism() - 1),
    globalSetup: ['test/global-tmp.ts'],
  },
});
