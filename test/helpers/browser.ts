import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

/** report.html in the Debian package's Chromium, as the browser tests open it. */
export const CHROMIUM = '/usr/bin/chromium';
export const chromiumPresent = existsSync(CHROMIUM);

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Everything the page asks for or complains about; the page may load its own file and nothing else. */
export interface Watch {
  requests: string[];
  problems: string[];
}

export async function openReport(
  browser: Browser,
  file: string,
  { width = 1280, ...options }: { width?: number; colorScheme?: 'light' | 'dark'; javaScriptEnabled?: boolean } = {},
): Promise<{ page: Page; watch: Watch; loadMs: number }> {
  const context = await browser.newContext({ viewport: { width, height: 900 }, ...options });
  const watch: Watch = { requests: [], problems: [] };
  const url = pathToFileURL(file).href;
  await context.route('**/*', (route) => (route.request().url() === url ? route.continue() : (watch.requests.push(route.request().url()), route.abort())));
  const page = await context.newPage();
  page.on('request', (r) => {
    if (r.url() !== url) watch.requests.push(r.url());
  });
  page.on('requestfailed', (r) => watch.problems.push(`request failed: ${r.url()}`));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') watch.problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => watch.problems.push(`page error: ${e.message}`));
  await page.goto(url, { waitUntil: 'load' });
  const loadMs = await page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).loadEventEnd);
  return { page, watch, loadMs };
}
