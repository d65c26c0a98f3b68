import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The browser checks need Chromium and run on their own: `npm run test:browser`.
    exclude: ['test/browser/**', 'node_modules/**'],
    // Property tests and CLI tests spawn processes; keep the default pool but give them room.
    testTimeout: 60_000,
  },
});
