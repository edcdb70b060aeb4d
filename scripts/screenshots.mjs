// Regenerates the README's report screenshots with headless Chromium (Debian package "chromium"):
//   node scripts/screenshots.mjs [out-dir] [name-prefix]
// Builds nothing: run `npm run build` first. Each report is shot at 1400 px (desktop) and 400 px (phone),
// the first screenful with the top drifted column opened: what a reader sees before scrolling.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = join(import.meta.dirname, '..');
const out = process.argv[2] ?? join(ROOT, 'docs', 'screenshots');
const prefix = process.argv[3] ?? '';
const fixtures = join(ROOT, 'fixtures');
const crabs = join(fixtures, 'golden', 'datasets', 'crabs_size_split_classification');

const reports = {
  regression: [
    '-r',
    join(fixtures, 'activities', 'reference.csv'),
    '-c',
    join(fixtures, 'activities', 'current.csv'),
    '--target',
    'Quality',
    '--task',
    'regression',
  ],
  classification: [
    '-r',
    join(crabs, 'reference.csv'),
    '-c',
    join(crabs, 'current.csv'),
    '--target',
    'orange',
    '--prediction',
    'prediction',
    '--task',
    'classification',
    '--ignore',
    'prob_0,prob_1',
  ],
};

mkdirSync(out, { recursive: true });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
try {
  for (const [name, args] of Object.entries(reports)) {
    const dir = mkdtempSync(join(tmpdir(), 'mlobs-shots-'));
    execFileSync(process.execPath, [join(ROOT, 'bin', 'mlobs.js'), 'report', ...args, '--format', 'html', '-o', dir, '--quiet'], { cwd: ROOT });
    for (const width of [1400, 400]) {
      const page = await browser.newPage({ viewport: { width, height: width > 1000 ? 1100 : 1400 } });
      await page.goto(pathToFileURL(join(dir, 'report.html')).href);
      await page.locator('#drift-table button.expand').first().click();
      await page.waitForTimeout(300);
      await page.screenshot({ path: join(out, `${prefix}${name}-${width}.png`) });
      await page.close();
    }
  }
} finally {
  await browser.close();
}
