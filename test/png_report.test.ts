import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { FIXTURES, readReport, ROOT, runCli, spawnCli, tempDir } from './helpers/cli.js';
import { scoreBars } from '../src/writers/png.js';

const ACTIVITIES = ['-r', join(FIXTURES, 'activities', 'reference.csv'), '-c', join(FIXTURES, 'activities', 'current.csv'), '--target', 'Quality'];

/** Decodes a PNG and counts its pixels that are not white, and those in the drift red of the score bars. */
async function inspect(path: string): Promise<{ width: number; height: number; inked: number; red: number }> {
  const image = await loadImage(path);
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  const { data } = ctx.getImageData(0, 0, image.width, image.height);
  let inked = 0;
  let red = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i] < 245 || data[i + 1] < 245 || data[i + 2] < 245) inked++;
    if (data[i] === 0xb3 && data[i + 1] === 0x26 && data[i + 2] === 0x1e) red++;
  }
  return { width: image.width, height: image.height, inked, red };
}

describe('--format png', () => {
  it('scores on orders of magnitude past the threshold: every bar differs, a cut bar is marked, p-values and distances apart', async () => {
    const dir = tempDir();
    const r = await runCli([
      'report',
      '-r',
      join(FIXTURES, 'explanations', 'reference.csv'),
      '-c',
      join(FIXTURES, 'explanations', 'current.csv'),
      '--per-column-stattest',
      'basket=wasserstein',
      '--format',
      'json,png',
      '-o',
      dir,
      '--quiet',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const bars = scoreBars(readReport(dir));
    expect(new Set(bars.map((b) => b.value)).size).toBe(bars.length);
    // store's chi-square p-value underflowed to 0: its bar is cut at 60 orders and says so.
    expect(bars[0]).toMatchObject({ value: 60, clipped: true });
    expect(bars[0].column.column).toBe('store');
    expect(bars.filter((b) => b.clipped)).toHaveLength(1);
    expect(bars.find((b) => b.column.column === 'basket')!.column.score_kind).toBe('distance');
    // K-S p = 0.0013 at threshold 0.05: log10(0.05 / 0.0013) ≈ 1.59 orders past it.
    expect(bars.find((b) => b.column.column === 'tenure')!.value).toBeCloseTo(Math.log10(0.05 / 0.001293304140207564), 6);
    expect((await inspect(join(dir, 'drift-scores.png'))).red).toBeGreaterThan(1_000);
  });

  it('draws the drift scores and the top distributions beside the report', async () => {
    const dir = tempDir();
    const r = await runCli(['report', ...ACTIVITIES, '--format', 'json,png', '-o', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${join(dir, 'drift-scores.png')}, ${join(dir, 'drift-distributions.png')}`);

    const scores = await inspect(join(dir, 'drift-scores.png'));
    // One bar per column (6 here) under a title: the height follows the number of bars.
    expect(scores).toMatchObject({ width: 1000, height: 110 + 26 * 6 });
    expect(scores.inked).toBeGreaterThan(20_000);
    expect(scores.red).toBeGreaterThan(5_000);

    const distributions = await inspect(join(dir, 'drift-distributions.png'));
    // Six columns, two panels of 600 × 320 across, under a 48 px heading.
    expect(distributions).toMatchObject({ width: 1200, height: 48 + 3 * 320 });
    expect(distributions.inked).toBeGreaterThan(100_000);
  });

  it('renders the same images again from report.json', async () => {
    const dir = tempDir();
    expect((await runCli(['report', ...ACTIVITIES, '--format', 'json', '-o', dir, '--quiet'])).code).toBe(0);
    const r = await runCli(['render', join(dir, 'report.json'), '--format', 'html,png']);
    expect(r.code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['drift-distributions.png', 'drift-scores.png', 'report.html', 'report.json']);
  });

  it('without the native canvas module: one clear error line, exit 3, before any data is read', async () => {
    const dir = join(tempDir(), 'out');
    const env = { NODE_OPTIONS: `--import=${pathToFileURL(join(ROOT, 'test', 'helpers', 'no_canvas.mjs')).href}` };
    const r = await spawnCli(['report', ...ACTIVITIES, '--format', 'json,png', '-o', dir], { env });
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      "mlobs: error: --format png needs the native module @napi-rs/canvas, which failed to load (Cannot find module '@napi-rs/canvas'); use --format html or json\n",
    );
    expect(existsSync(join(dir, 'report.json'))).toBe(false);
    // The other formats do not need it.
    expect((await spawnCli(['report', ...ACTIVITIES, '--format', 'json,html', '-o', dir, '--quiet'], { env })).code).toBe(0);
  });
});
