import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, ROOT, runCli, tempDir } from './helpers/cli.js';
import { writeWideDataset } from './helpers/wide_dataset.js';
import { chromiumPresent as present, CHROMIUM, launchChromium, openReport } from './helpers/browser.js';

const ARTIFACTS = join(ROOT, 'test-artifacts');
if (!present) console.warn(`SKIPPED: the headless Chromium tests of report.html need ${CHROMIUM} (Debian package "chromium"); CI installs it`);

/** Pixels a chart drew: Chart.js leaves the canvas transparent where it draws nothing. */
function drawnPixels(page: Page, selector: string): Promise<number> {
  return page.evaluate((sel) => {
    const canvas = document.querySelector(sel) as HTMLCanvasElement;
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
    return n;
  }, selector);
}

describe.skipIf(!present)('report.html in headless Chromium', () => {
  let browser: Browser;
  let activities: string;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const dir = tempDir();
    const r = await runCli(['report', '-r', join(FIXTURES, 'activities', 'reference.csv'), '-c', join(FIXTURES, 'activities', 'current.csv'), '--target', 'Quality', '--format', 'html', '-o', dir, '--quiet']);
    expect(r.code).toBe(0);
    activities = join(dir, 'report.html');
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('opens from disk with no request and no error, and a row opens to a drawn chart', async () => {
    const { page, watch } = await openReport(browser, activities);
    expect(await page.locator('h1').textContent()).toMatch(/TESTS FAILING/);
    const first = page.locator('#drift-0');
    const detail = page.locator('#drift-0-detail');
    expect(await detail.isVisible()).toBe(false);
    await first.locator('button.expand').click();
    await detail.waitFor({ state: 'visible' });
    expect(await first.locator('button.expand').getAttribute('aria-expanded')).toBe('true');
    await page.waitForFunction(() => (window as unknown as { Chart: { instances: object } }).Chart && Object.keys((window as unknown as { Chart: { instances: object } }).Chart.instances).length === 1);
    expect(await drawnPixels(page, '#drift-0-detail canvas')).toBeGreaterThan(5000);
    // Closed rows draw nothing: charts cost only when read.
    expect(await drawnPixels(page, '#drift-5-detail canvas')).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'report-activities.png'), fullPage: true });
    expect(watch).toEqual({ requests: [], problems: [] });
    await page.context().close();
  });

  it('sorts and filters the drift table', async () => {
    const { page, watch } = await openReport(browser, activities);
    const names = () => page.locator('#drift-table tbody tr.row:visible button.expand').allTextContents();
    expect(await names()).toEqual(['Distance (km)', 'Quality', 'Climb (m)', 'Average Speed (km/h)', 'Calories Burned', 'Average Heart rate (tpm)']);
    await page.locator('#drift-table thead button', { hasText: 'Column' }).click();
    expect(await names()).toEqual(['Average Heart rate (tpm)', 'Average Speed (km/h)', 'Calories Burned', 'Climb (m)', 'Distance (km)', 'Quality']);
    expect(await page.locator('#drift-table thead th').nth(1).getAttribute('aria-sort')).toBe('ascending');
    await page.locator('#drift-table thead button', { hasText: /^Score$/ }).click();
    expect((await names())[0]).toBe('Distance (km)');
    await page.selectOption('#drift-verdict', 'drift');
    await page.fill('#drift-filter', 'cl');
    expect(await names()).toEqual(['Climb (m)']);
    expect(await page.locator('#drift-count').textContent()).toBe('showing 1 of 6 columns');
    expect(watch).toEqual({ requests: [], problems: [] });
    await page.context().close();
  });

  it('puts what drifted before the tests, groups failed tests by test with counts and collapses passed ones', async () => {
    const dir = tempDir();
    const golden = join(FIXTURES, 'golden', 'datasets', 'crabs_size_split_classification');
    const r = await runCli(['report', '-r', join(golden, 'reference.csv'), '-c', join(golden, 'current.csv'), '--target', 'orange', '--prediction', 'prediction', '--task', 'classification', '--ignore', 'prob_0,prob_1', '--format', 'html', '-o', dir, '--quiet']);
    expect(r.code).toBe(0);
    const file = join(dir, 'report.html');
    const { page, watch } = await openReport(browser, file, { width: 1400 });
    expect(await page.locator('main > section').evaluateAll((s) => s.map((x) => x.id))).toEqual(['drift', 'target', 'tests', 'model', 'quality', 'columns', 'run']);
    const groups = await page.locator('#tests details.test-group:not(.passed) > summary').allTextContents();
    // The dataset's drift verdict first, then the model, then single columns, then integrity.
    expect(groups[0]).toMatch(/^Share of Drifted Columns: ✕ 1 failed of 1$/);
    expect(groups.findIndex((g) => g.startsWith('Drift per Column'))).toBeLessThan(groups.findIndex((g) => g.startsWith('Number of Rows')));
    expect(groups.some((g) => /^(Accuracy|Precision|Recall|F1)/.test(g))).toBe(true);
    const failed = await page.locator('#tests details.test-group:not(.passed) tr.test:visible').count();
    expect(failed).toBe(24);
    expect(await page.locator('#tests details.passed').getAttribute('open')).toBeNull();
    expect(await page.locator('#tests details.passed tr.test:visible').count()).toBe(0);
    await page.locator('#tests details.passed > summary').click();
    expect(await page.locator('#tests details.passed tr.test:visible').count()).toBe(22);
    await page.locator('.verdict a[href="#tests"]').click();
    expect(await page.evaluate(() => location.hash)).toBe('#tests');
    await page.screenshot({ path: join(ARTIFACTS, 'report-crabs.png'), fullPage: true });
    expect(watch).toEqual({ requests: [], problems: [] });
    await page.context().close();

    const nojs = await openReport(browser, file, { javaScriptEnabled: false });
    expect(await nojs.page.locator('#tests tr.test').count()).toBe(46);
    expect(await nojs.page.locator('#model table.matrix').count()).toBe(2);
    await nojs.page.context().close();
  });

  for (const width of [1400, 400]) {
    it(`at ${width} px no text is clipped: the page does not scroll sideways, tables scroll in their box, an open row fits the screen`, async () => {
      const { page, watch } = await openReport(browser, activities, { width });
      await page.locator('#drift-0 button.expand').click();
      await page.locator('#drift-0-detail').waitFor({ state: 'visible' });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      // Every piece of text outside a scrolling table box ends inside the viewport, and so does the open row's explanation.
      const outside = await page.evaluate((w) => {
        const bad: string[] = [];
        for (const el of Array.from(document.querySelectorAll('body *'))) {
          if (el.closest('.table-wrap') && !el.closest('.why')) continue;
          const box = el.getBoundingClientRect();
          if (box.width > 0 && el.childNodes.length && Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent!.trim()) && box.right > w + 0.5) bad.push(`${el.tagName}.${el.className}: ${(el.textContent ?? '').slice(0, 40)}`);
        }
        return bad;
      }, width);
      expect(outside).toEqual([]);
      const wrap = await page.locator('#drift .table-wrap').evaluate((el) => ({ client: el.clientWidth, right: el.getBoundingClientRect().right }));
      expect(wrap.right).toBeLessThanOrEqual(width);
      expect(await page.locator('h1').textContent()).toMatch(/TESTS FAILING/);
      await page.screenshot({ path: join(ARTIFACTS, `report-activities-${width}.png`), fullPage: true });
      expect(watch).toEqual({ requests: [], problems: [] });
      await page.context().close();
    });
  }

  it('a link from the verdict opens its column', async () => {
    const { page } = await openReport(browser, activities);
    await page.locator('.verdict .top a', { hasText: 'Climb (m)' }).click();
    await page.locator('#drift-2-detail').waitFor({ state: 'visible' });
    await page.context().close();
  });

  it('reads without JavaScript, follows the dark colour scheme and prints without controls', async () => {
    const nojs = await openReport(browser, activities, { javaScriptEnabled: false });
    expect(await nojs.page.locator('#drift-table tbody tr.row').count()).toBe(6);
    // Without scripts the explanations and the canvas's fallback tables are shown for every column.
    expect(await nojs.page.locator('#drift-5-detail').isVisible()).toBe(true);
    expect(await nojs.page.locator('#drift-5-detail table.bins').isVisible()).toBe(true);
    expect(await nojs.page.locator('.controls:visible').count()).toBe(0);
    await nojs.page.context().close();

    const background = async (scheme: 'light' | 'dark') => {
      const { page } = await openReport(browser, activities, { colorScheme: scheme });
      const color = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      if (scheme === 'dark') await page.screenshot({ path: join(ARTIFACTS, 'report-activities-dark.png') });
      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('.controls:visible').count()).toBe(0);
      await page.context().close();
      return color;
    };
    expect(await background('light')).toBe('rgb(255, 255, 255)');
    expect(await background('dark')).toBe('rgb(13, 17, 23)');
  });

  it('a 100-column report is under 1.5 MB and loads in under 2 s', async () => {
    const dir = tempDir();
    const { reference, current } = writeWideDataset(dir, 100);
    const r = await runCli(['report', '-r', reference, '-c', current, '--format', 'html', '-o', dir, '--quiet']);
    expect(r.code).toBe(0);
    const file = join(dir, 'report.html');
    expect(statSync(file).size).toBeLessThan(1.5e6);
    const { page, watch, loadMs } = await openReport(browser, file);
    expect(loadMs).toBeLessThan(2000);
    expect(await page.locator('#drift-table tbody tr.row').count()).toBe(100);
    await page.locator('#drift-expand').click();
    await page.waitForFunction(() => Object.keys((window as unknown as { Chart: { instances: object } }).Chart.instances).length > 0);
    await page.screenshot({ path: join(ARTIFACTS, 'report-100-columns.png') });
    expect(watch).toEqual({ requests: [], problems: [] });
    await page.context().close();
  });
});
