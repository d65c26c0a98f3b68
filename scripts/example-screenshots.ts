// Screenshots for the README, committed in reports/example/: the default comparison's tables,
// zone-outage's map at the moment of the partition (from its timeline), and the 250k run's map at
// its first kill. Run after scripts/update-example-report.sh (it builds): npx tsx scripts/example-screenshots.ts
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Page } from 'playwright-core';

const OUT = resolve('reports/example');
const tmp = mkdtempSync(join(tmpdir(), 'auctionlab-shots-'));
const cli = (args: string[]) => execFileSync(process.execPath, ['dist/src/cli/main.js', ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
cli(['run', 'zone-outage', '--report', '--out', join(tmp, 'zone-outage')]);
cli(['run', 'diego-stress-250k', '--no-safety', '--report', '--out', join(tmp, 'stress')]);

const browser = await chromium.launch({ executablePath: process.env['CHROMIUM'] ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
async function open(file: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
  return page;
}
// The section holding `selector`, as its own picture.
async function shoot(page: Page, selector: string, file: string): Promise<void> {
  await page.locator(selector).first().screenshot({ path: join(OUT, file) });
  console.log(`wrote ${join(OUT, file)}`);
}

let page = await open(join(OUT, 'report.html'));
await shoot(page, 'section:has(table.compare)', 'comparison.png');
await page.close();

page = await open(join(tmp, 'zone-outage', 'report.html'));
await page.locator('#placement-timeline .mark').first().click();
await shoot(page, 'figure.map', 'zone-outage-partition.png');
await page.close();

page = await open(join(tmp, 'stress', 'report.html'));
await page.locator('#placement-timeline .mark').first().click();
await shoot(page, 'figure.map', 'stress-250k-first-kill.png');
await page.close();
await browser.close();
