import { defineConfig } from 'vitest/config';

// `npm run test:browser`: the report's checks in headless Chromium (Debian's /usr/bin/chromium).
export default defineConfig({
  test: {
    include: ['test/browser/**/*.browser.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
