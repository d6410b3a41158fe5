import { defineConfig } from 'vitest/config';

// Integration tests share LXC and Pacemaker on this machine: one file at a time, in a fixed order.
export default defineConfig({
  test: {
    include: ['test/integration/**/*.test.ts'],
    fileParallelism: false,
    sequence: { concurrent: false },
    testTimeout: 180_000,
    // One event-loop turn after each test: see the file.
    setupFiles: ['test/helpers/yield-between-tests.ts'],
    hookTimeout: 300_000,
  },
});
