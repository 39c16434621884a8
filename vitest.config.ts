import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: [
      'test/unit/**/*.test.ts',
      'test/integration/**/*.test.ts',
      'test/reliability/**/*.test.ts',
    ],
    testTimeout: 30_000,
    hookTimeout: 180_000,
    // Integration suites share one broker and one MariaDB; running files one at a time keeps
    // them from starving each other on a 2-core machine.
    fileParallelism: false,
    reporters: ['default'],
  },
});
