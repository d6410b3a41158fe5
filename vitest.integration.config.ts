import { defineConfig } from 'vitest/config';

// Integration tests share LXC and Pacemaker on this machine: one file at a time, in a fixed order.
export default defineConfig({
  test: {
    include: ['test/integration/**/*.test.ts'],
    fileParallelism: false,
    sequence: { concurrent: false },
    testTimeout: 180_000,
    hookTimeout: 300_000,
  },
});
