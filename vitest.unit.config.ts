import { defineConfig } from 'vitest/config';

// Unit tests: no root, no real system state; they may run the built agents against fakes on PATH.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    testTimeout: 30_000,
    // One event-loop turn after each test: see the file.
    setupFiles: ['test/helpers/yield-between-tests.ts'],
  },
});
