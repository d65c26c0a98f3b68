import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Property tests and CLI tests spawn processes; keep the default pool but give them room.
    testTimeout: 60_000,
  },
});
