import { mkdirSync } from 'node:fs';
import { loadImage } from '@napi-rs/canvas';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DRIFT_FROM_MAY_2022 } from './helpers/activities_log.js';
import { readReport, ROOT, runCli, tempDir } from './helpers/cli.js';
import { chromiumPresent, launchChromium, openReport } from './helpers/browser.js';

const ARTIFACTS = join(ROOT, 'test-artifacts');

/** The activities log's monthly windows in which drift starts in May 2022 (DRIFT_FROM_MAY_2022), as a report. */
async function windowedReport(dir: string, formats: string): Promise<any> {
  const res = await runCli([
    'report',
    ...DRIFT_FROM_MAY_2022,
    '--timestamp',
    'Date',
    '--ignore',
    'Activity ID',
    '--target',
    'Quality',
    '-f',
    formats,
    '-o',
    dir,
    '--quiet',
  ]);
  expect(res.stderr).toBe('');
  return readReport(dir);
}

describe.skipIf(!chromiumPresent)('"Drift over time" in report.html (headless Chromium)', () => {
  let browser: Browser;
  let file: string;
  let report: any;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const dir = tempDir();
    report = await windowedReport(dir, 'json,html');
    file = join(dir, 'report.html');
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('sits first, draws the share chart and one small multiple per column that drifts in any window, with no request or error', async () => {
    const { page, watch } = await openReport(browser, file);
    expect(await page.locator('main > section').first().getAttribute('id')).toBe('windows');
    await expect(page.locator('#windows-title').textContent()).resolves.toBe('Drift over time');
    expect(await page.locator('#windows .intro').textContent()).toContain('drift began in window 2022-05 (2 windows ago)');
    // The share chart: a marker per judged window, squares where the dataset drifted, and the threshold line.
    const judged = report.windows.filter((w: any) => w.judged);
    const shareChart = page.locator('#windows figure').first().locator('svg');
    expect(await shareChart.locator('rect.wdrift, circle.wok').count()).toBe(judged.length);
    expect(await shareChart.locator('rect.wdrift').count()).toBe(judged.filter((w: any) => w.drift.dataset_drift).length);
    expect(await shareChart.locator('line.wthreshold').count()).toBe(1);
    const drifting = new Set(judged.flatMap((w: any) => w.drift.columns.filter((c: any) => c.drift_detected).map((c: any) => c.column)));
    expect(await page.locator('.wmultiples figure').count()).toBe(drifting.size);
    await page.locator('#windows').screenshot({ path: join(ARTIFACTS, 'windows-section.png') });
    expect(watch.requests).toEqual([]);
    expect(watch.problems).toEqual([]);
  });

  it('heat strip says drifted / not / not judged in text and symbols, not by colour alone', async () => {
    const { page } = await openReport(browser, file);
    const rows = page.locator('#windows-heat tbody tr');
    expect(await rows.count()).toBeGreaterThan(0);
    const header = await page.locator('#windows-heat thead th').allTextContents();
    expect(header.slice(1)).toEqual(report.windows.map((w: any) => w.start.slice(0, 7)));
    const cells = await page.locator('#windows-heat tbody tr').first().locator('td').allTextContents();
    const firstColumn = await rows.first().locator('th').textContent();
    report.windows.forEach((w: any, i: number) => {
      const c = w.drift?.columns.find((x: any) => x.column === firstColumn);
      const expected = !w.judged ? '○not judged' : !c ? '–not scored' : c.drift_detected ? '▲drifted' : '·not drifted';
      expect(cells[i], `${firstColumn} in ${w.start}`).toBe(expected);
    });
  });

  it("clicking a window in the strip opens that window's column table", async () => {
    const { page } = await openReport(browser, file);
    const may = report.windows.find((w: any) => w.start.startsWith('2022-05'));
    const details = page.locator(`#window-${may.index}`);
    expect(await details.evaluate((d: HTMLDetailsElement) => d.open)).toBe(false);
    await page.locator(`#windows-heat thead a[href="#window-${may.index}"]`).click();
    await expect.poll(() => details.evaluate((d: HTMLDetailsElement) => d.open)).toBe(true);
    expect(await details.locator('summary').textContent()).toBe(
      `2022-05: ${may.rows} rows, ${may.drift.number_of_drifted_columns} of ${may.drift.number_of_columns} columns drifted (${Math.round(may.drift.share_of_drifted_columns * 1000) / 10}%), dataset drift; ${may.tests.failed_tests} of ${may.tests.total_tests} tests failed`,
    );
    const rows = await details.locator('tbody tr').count();
    expect(rows).toBe(may.drift.columns.length);
    expect(await details.locator('tbody tr .badge-drift').count()).toBe(may.drift.number_of_drifted_columns);
  });
});

describe('the PNG trend chart', () => {
  it('drift-trend.png beside the other charts, only for windowed runs', async () => {
    const dir = tempDir();
    await windowedReport(dir, 'json,png');
    const image = await loadImage(join(dir, 'drift-trend.png'));
    expect([image.width, image.height]).toEqual([1200, 520]);
    const plain = tempDir();
    const res = await runCli([
      'report',
      '-r',
      'fixtures/activities/reference.csv',
      '-c',
      'fixtures/activities/current.csv',
      '-f',
      'png',
      '-o',
      plain,
      '--quiet',
    ]);
    expect(res.code).toBe(0);
    await expect(loadImage(join(plain, 'drift-trend.png'))).rejects.toThrow();
  });
});
