import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { binningNote, distributionSeries } from '../src/writers/drift_view.js';
import { FIXTURES, readReport, runCli, tempDir } from './helpers/cli.js';

const EX = join(FIXTURES, 'explanations');

async function report(ref: string, cur: string, extra: string[] = []) {
  const dir = tempDir();
  const r = await runCli(['report', '-r', join(EX, ref), '-c', join(EX, cur), '--format', 'json,html', '-o', dir, '--quiet', ...extra]);
  expect(r.code, r.stderr).toBe(0);
  return { json: readReport(dir), html: readFileSync(join(dir, 'report.html'), 'utf8') };
}

describe('charts that show why', () => {
  it('a heavy-tailed column gets the reference deciles as bins, labelled in plain numbers, and says so', async () => {
    // 400 exponential delays (mean 20, then 35) and 4 outliers up to 3.6e7: equal widths put ~99 % in bin one.
    const { json, html } = await report('delays_reference.csv', 'delays_current.csv');
    const c = json.drift.columns[0];
    expect(c.distribution.binning).toBe('reference_quantiles');
    const shares = distributionSeries(c.distribution).reference;
    expect(Math.max(...shares)).toBeLessThan(20);
    const labels = distributionSeries(c.distribution).labels;
    expect(labels.at(-1)).toMatch(/^\d+ – \d{2},\d{3},\d{3}$/);
    expect(labels.join(' ')).not.toMatch(/e\+/);
    expect(binningNote(c)).toBe(
      "Bins are the reference's deciles: equal-width bins would have put most values in one bar. The test itself (ks) compares the values, not these bins.",
    );
    expect(html).toContain('Bins are the reference&#x27;s deciles');
  });

  it('says which bins a binned test used when they differ from the chart', async () => {
    const { json } = await report('delays_reference.csv', 'delays_current.csv', ['--stattest', 'psi']);
    expect(binningNote(json.drift.columns[0])).toMatch(/The test itself \(psi\) used \d+ Sturges bins over both files\.$/);
  });

  it('categorical bars name the levels one file lacks, and the row counts them with their shares', async () => {
    const { json, html } = await report('reference.csv', 'current.csv');
    const store = json.drift.columns.find((c: { column: string }) => c.column === 'store');
    expect(distributionSeries(store.distribution).labels).toContain('. (current only)');
    expect(binningNote(store)).toBe(
      'Levels seen in one file only: 1 only in the current file (4% of its rows), 0 only in the reference file (0% of its rows).',
    );
    expect(html).toContain('<th scope="row">. (current only)</th>');
    const basket = json.drift.columns.find((c: { column: string }) => c.column === 'basket');
    expect(basket.distribution.binning).toBe('equal_width');
  });
});

describe('regression model quality charts', () => {
  it('predicted against actual and the error distribution, for both sides, in report.json and as SVG in the HTML', async () => {
    const golden = join(FIXTURES, 'golden', 'datasets', 'birthwt_maternal_age_split_regression');
    const dir = tempDir();
    const r = await runCli([
      'report',
      '-r',
      join(golden, 'reference.csv'),
      '-c',
      join(golden, 'current.csv'),
      '--target',
      'bwt',
      '--prediction',
      'prediction',
      '--task',
      'regression',
      '--format',
      'json,html',
      '-o',
      dir,
      '--quiet',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const charts = readReport(dir).model_quality.regression.charts;
    expect(charts.predicted_vs_actual.reference).toHaveLength(94);
    expect(charts.predicted_vs_actual.current).toHaveLength(95);
    expect(charts.errors.x).toHaveLength(21);
    expect(charts.errors.reference.reduce((a: number, b: number) => a + b, 0)).toBe(94);
    expect(charts.errors.current.reduce((a: number, b: number) => a + b, 0)).toBe(95);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    const section = /<section id="model"[\s\S]*?<\/section>/.exec(html)![0];
    expect(section.match(/<g class="dots-reference">(.*?)<\/g>/)![1].match(/<circle /g)).toHaveLength(94);
    expect(section.match(/<g class="dots-current">(.*?)<\/g>/)![1].match(/<circle /g)).toHaveLength(95);
    expect(section.match(/<g class="bars-current">(.*?)<\/g>/)![1].match(/<rect /g)).toHaveLength(20);
    expect(section).toContain('Error distribution');
  });
});
