// Opens an HTML report in headless Chromium and saves screenshots (desktop and phone width).
// Usage: npx tsx scripts/screenshot.ts <report.html> <out-prefix>
import { chromium } from 'playwright-core';
import { pathToFileURL } from 'node:url';

const [file, prefix = 'reports/screenshot'] = process.argv.slice(2);
if (!file) {
  console.error('usage: npx tsx scripts/screenshot.ts <report.html> [out-prefix]');
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: process.env['CHROMIUM'] ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
for (const [name, width, height] of [['desktop', 1280, 900], ['phone', 390, 844]] as const) {
  const page = await browser.newPage({ viewport: { width, height } });
  page.on('console', (m) => console.log(`[${name} console.${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => console.log(`[${name} pageerror] ${e.message}`));
  page.on('request', (r) => { if (!r.url().startsWith('file:')) console.log(`[${name} request] ${r.url()}`); });
  const t0 = Date.now();
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
  console.log(`${name}: ready in ${Date.now() - t0} ms`, await page.getAttribute('body', 'data-timings'));
  await page.screenshot({ path: `${prefix}-${name}.png`, fullPage: true });
  await page.screenshot({ path: `${prefix}-${name}-top.png` });
  await page.close();
}
await browser.close();
