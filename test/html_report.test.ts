import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Report, SCHEMA_VERSION } from '../src/report/model.js';
import { runStatus } from '../src/report/status.js';
import { renderHtml } from '../src/writers/html/index.js';
import { FIXTURES, runCli, tempDir } from './helpers/cli.js';

const ACTIVITIES = ['-r', join(FIXTURES, 'activities', 'reference.csv'), '-c', join(FIXTURES, 'activities', 'current.csv'), '--target', 'Quality'];

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#x27;': "'", '&#x3D;': '=', '&#x60;': '`' };
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&[#\w]+;/g, (e) => ENTITIES[e] ?? e).replace(/\s+/g, ' ').trim();
const all = (html: string, re: RegExp) => [...html.matchAll(re)];

/**
 * The page's structure without its volatile parts (times, sizes, hashes, Chart.js): what the snapshot pins
 * down is which sections, headings, table columns and rows a reader gets.
 */
function digest(html: string): string {
  const body = html.replace(/<script([^>]*)>[\s\S]*?<\/script>/g, '<script$1></script>').replace(/<style>[\s\S]*?<\/style>/g, '<style></style>');
  const out: string[] = [];
  const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(body)![1].replace(/&#x27;/g, "'").replace(/'sha256-[^']+'/g, "'sha256'");
  out.push(`csp: ${csp}`);
  out.push(`verdict: ${/<section class="verdict ([^"]+)"/.exec(body)![1]}`);
  out.push(`h1: ${text(/<h1[\s\S]*?<\/h1>/.exec(body)![0])}`);
  out.push(`lead: ${text(/<p class="lead">[\s\S]*?<\/p>/.exec(body)![0])}`);
  out.push(`facts: ${all(body, /<li class="fact[^"]*">([\s\S]*?)<\/li>/g).map((m) => text(m[1])).join(' | ')}`);
  out.push(`nav: ${all(/<nav[\s\S]*?<\/nav>/.exec(body)![0], /<a [^>]*>([^<]*)<\/a>/g).map((m) => m[1]).join(' | ')}`);
  out.push(...sectionDigest(body));
  out.push(`scripts: ${all(body, /<script([^>]*)>/g).map((m) => m[1].trim() || 'inline').join(', ')}`);
  return out.join('\n');
}

/** Each section's headings and tables: header cells, then drift rows in full and other rows counted (or in full too). */
function sectionDigest(body: string, full = false): string[] {
  const out: string[] = [];
  for (const [, id, section] of all(body, /<section id="([^"]+)"[^>]*>([\s\S]*?)<\/section>/g)) {
    out.push(`section #${id}: ${all(section, /<h[23][^>]*>([\s\S]*?)<\/h[23]>/g).map((m) => text(m[1])).join(' / ')}`);
    for (const [, summary] of all(section, /<summary>([\s\S]*?)<\/summary>/g)) out.push(`  group: ${text(summary)}`);
    for (const [, table] of all(section, /<table [^>]*class="data[^"]*"[^>]*>([\s\S]*?)<\/table>\s*<\/div>/g)) {
      const head = /<thead>[\s\S]*?<\/thead>/.exec(table)?.[0] ?? '';
      out.push(`  table: ${all(head, /<th[^>]*>([\s\S]*?)<\/th>/g).map((m) => text(m[1])).join(' | ')}`);
      for (const [, tr] of all(table, /<tr class="row[^"]*"[^>]*>([\s\S]*?)<\/tr>/g)) {
        out.push(`    row: ${all(tr, /<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g).map((m) => text(m[1])).join(' | ')}`);
      }
      const tests = all(table, /<tr class="test" data-status="(\w+)">/g).map((m) => m[1]);
      if (tests.length) out.push(`    tests: ${[...new Set(tests)].map((s) => `${s} ×${tests.filter((t) => t === s).length}`).join(', ')}, in that order`);
      const plain = all(table, /<tbody>([\s\S]*)<\/tbody>/g)[0]?.[1] ?? '';
      if (full) for (const [, tr] of all(plain, /<tr>([\s\S]*?)<\/tr>/g)) out.push(`    row: ${all(tr, /<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g).map((m) => text(m[1])).join(' | ')}`);
      else if (!plain.includes('class="row') && !tests.length) out.push(`    rows: ${all(plain, /<tr>/g).length}`);
      const details = all(table, /<tr class="detail"[\s\S]*?<canvas data-chart="(\d+)">([\s\S]*?)<\/canvas>/g);
      if (details.length) out.push(`    details: ${details.map((m) => `chart ${m[1]} (${all(m[2], /<tr><th scope="row">/g).length} bins)`).join(', ')}`);
    }
  }
  return out;
}

describe('--format html', () => {
  let dir: string;
  let html: string;
  let report: Report;

  beforeAll(async () => {
    dir = tempDir();
    const r = await runCli(['report', ...ACTIVITIES, '--format', 'json,html', '-o', dir, '--grafana-url', 'http://127.0.0.1:3000/d/mlobs?orgId=1&from=now-7d']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    html = readFileSync(join(dir, 'report.html'), 'utf8');
    report = Report.parse(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')));
  });

  it('writes report.html beside report.json and says so', async () => {
    const r = await runCli(['report', ...ACTIVITIES, '--format', 'html', '-o', dir, '--quiet']);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toMatch(/^<!doctype html>/);
  });

  it('has the structure a reader expects', () => {
    expect(digest(html)).toMatchInlineSnapshot(`
      "csp: default-src 'none'; script-src 'sha256' 'sha256' 'sha256'; style-src 'sha256'; img-src data:; base-uri 'none'; form-action 'none'
      verdict: tone-red
      h1: 🔴 TESTS FAILING
      lead: 12 of 35 tests failed; 3 of 6 columns drifted (50%; dataset drift at 50%) . The dataset counts as drifted when at least 50% of its columns drift.
      facts: 3 drifted | 3 not drifted | 0 errors | 0 warnings | 12 of 35 tests failed
      nav: Data drift | Target and prediction drift | Test suite | Data quality | Columns | Run
      section #drift: Data drift
        table: Verdict | Column | Role | Type | Test | Score kind | Score | Drift if | n | Missing
          row: ▲ Drift | Distance (km) | feature | numerical | ks | p-value | 9.05e-7 | ≤ 0.05 | 1,000 / 50 | 0 / 0
          row: ▲ Drift | Quality | target | numerical | ks | p-value | 1.61e-5 | ≤ 0.05 | 1,000 / 50 | 0 / 0
          row: ▲ Drift | Climb (m) | feature | numerical | ks | p-value | 0.007542 | ≤ 0.05 | 1,000 / 50 | 0 / 0
          row: ✓ No drift | Average Speed (km/h) | feature | numerical | ks | p-value | 0.06102 | ≤ 0.05 | 1,000 / 50 | 0 / 0
          row: ✓ No drift | Calories Burned | feature | numerical | ks | p-value | 0.09682 | ≤ 0.05 | 1,000 / 50 | 0 / 0
          row: ✓ No drift | Average Heart rate (tpm) | feature | numerical | ks | p-value | 0.3502 | ≤ 0.05 | 1,000 / 50 | 0 / 0
          details: chart 0 (10 bins), chart 1 (10 bins), chart 2 (10 bins), chart 3 (10 bins), chart 4 (10 bins), chart 5 (10 bins)
      section #target: Target and prediction drift / Correlations of Quality (target)
        table: Verdict | Column | Role | Test | Score | Drift if
          rows: 1
        table: Feature | Pearson | Spearman | Kendall
          rows: 5
      section #tests: Test suite
        group: Share of Drifted Columns : ✕ 1 failed of 1
        group: Drift per Column : ✕ 3 failed of 6
        group: Share of the Most Common Value : ✕ 6 failed of 6
        group: Number of Rows : ✕ 1 failed of 1
        group: Number of Duplicate Rows : ✕ 1 failed of 1
        group: ✓ 23 passed
        table: 
          tests: FAIL ×1, in that order
        table: 
          tests: FAIL ×3, in that order
        table: 
          tests: FAIL ×6, in that order
        table: 
          tests: FAIL ×1, in that order
        table: 
          tests: FAIL ×1, in that order
        table: 
          tests: SUCCESS ×23, in that order
      section #quality: Data quality / Dataset summary / Columns
        table: Measure | Reference | Current
          rows: 14
        table: Column | File | Count | Missing | Unique | Most common | Min | Max | Mean | Std | 25% | Median | 75%
          rows: 6
      section #columns: Columns
        table: Column | Role | Type | Why this type | In | Missing | Non-numeric | Infinite | Notes
          rows: 6
      section #run: Run
        table: File | Path | Size | Rows | Columns | Delimiter | SHA-256
          rows: 2
      scripts: inline, type="application/json" id="chart-data", inline, inline"
    `);
  });

  it('is one self-contained file: nothing to fetch, and a policy that forbids fetching', () => {
    const markup = html.replace(/<script[^>]*>[\s\S]*?<\/script>/g, '').replace(/<style>[\s\S]*?<\/style>/g, '');
    expect(markup).not.toMatch(/<(link|img|iframe|object|embed)\b/i);
    expect(markup).not.toMatch(/\s(src|srcset|action)=/i);
    expect(html).not.toMatch(/url\(|@import|sourceMappingURL/);
    expect(html).toContain("default-src &#x27;none&#x27;");
    expect(html).toContain('Chart.js v4');
  });

  it('links to Grafana when configured, escaped, and keeps the link in report.json', () => {
    expect(report.links).toEqual({ grafana: 'http://127.0.0.1:3000/d/mlobs?orgId=1&from=now-7d' });
    expect(html).toContain('<a href="http://127.0.0.1:3000/d/mlobs?orgId&#x3D;1&amp;from&#x3D;now-7d" rel="noopener noreferrer" target="_blank">Grafana');
    expect(html).not.toMatch(/Prometheus<|Alertmanager</);
  });

  it('escapes whatever the data holds: a column name cannot inject markup or end a script', async () => {
    const evil = '</script><img src=x onerror=alert(1)>';
    const tampered = structuredClone(report);
    tampered.drift.columns[0].column = evil;
    tampered.columns[0].name = evil;
    tampered.drift.columns[0].distribution = { kind: 'categories', x: [evil, 'b'], reference: [1, 2], current: [2, 1] };
    const page = await renderHtml(tampered);
    expect(page).not.toContain('<img');
    expect(page.match(/<\/script>/g)).toHaveLength(4);
    const data = JSON.parse(/<script type="application\/json" id="chart-data">([\s\S]*?)<\/script>/.exec(page)![1]);
    expect(data.map((c: { labels: string[] }) => c.labels[0])).toContain(evil);
  });

  it('leaves out the errors section when there is nothing to say, and shows it when there is', async () => {
    expect(html).not.toContain('id="issues"');
    const withIssues = { ...report, warnings: [{ code: 'type_mismatch', column: 'Climb (m)', message: 'column "Climb (m)" is odd' }] };
    const page = await renderHtml(withIssues);
    expect(page).toContain('<section id="issues"');
    expect(text(page)).toContain('1 warning');
    expect(text(/<table class="data" id="columns-table">[\s\S]*?<\/table>/.exec(page)![0])).toContain('column "Climb (m)" is odd');
  });
});

const GOLDEN = join(FIXTURES, 'golden', 'datasets');
const CRABS = ['-r', join(GOLDEN, 'crabs_size_split_classification', 'reference.csv'), '-c', join(GOLDEN, 'crabs_size_split_classification', 'current.csv'), '--target', 'orange', '--prediction', 'prediction', '--task', 'classification', '--ignore', 'prob_0,prob_1'];
const BIRTHWT = ['-r', join(GOLDEN, 'birthwt_maternal_age_split_regression', 'reference.csv'), '-c', join(GOLDEN, 'birthwt_maternal_age_split_regression', 'current.csv'), '--target', 'bwt', '--prediction', 'prediction', '--task', 'regression'];

async function reportFor(args: string[]): Promise<{ html: string; report: Report }> {
  const dir = tempDir();
  const r = await runCli(['report', ...args, '--format', 'json,html', '-o', dir, '--quiet']);
  expect(r.stderr).toBe('');
  return { html: readFileSync(join(dir, 'report.html'), 'utf8'), report: Report.parse(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'))) };
}

const section = (html: string, id: string) => /<section id="([^"]+)"[^>]*>[\s\S]*?<\/section>/g.exec(html.slice(html.indexOf(`<section id="${id}"`)))![0];

describe('--format html: suite, quality and model sections', () => {
  it('classification: the verdict names the failed tests and the accuracy change; matrices and per-class metrics as tables', async () => {
    const { html, report } = await reportFor(CRABS);
    const verdict = text(/<section class="verdict[\s\S]*?<\/section>/.exec(html)![0]);
    expect(verdict).toContain(`${report.tests!.summary.failed_tests} of ${report.tests!.summary.total_tests} tests failed`);
    expect(verdict).toContain('Model quality, accuracy: 0.9417 → 0.6375 (-32.3%, ▼ worse ), reference → current.');
    expect(html).toContain('<a href="#tests">');
    expect(sectionDigest(section(html, 'model'), true).join('\n')).toMatchInlineSnapshot(`
      "section #model: Model quality / Confusion matrices / Per class
        table: Metric | Reference | Current | Change
          row: Accuracy | 0.9417 | 0.6375 | -32.3% worse
          row: Precision | 0.9818 | 0.5797 | -41% worse
          row: Recall | 0.9 | 1 | +11.1% better
          row: F1 | 0.9391 | 0.7339 | -21.8% worse
          row: True positive rate | 0.9 | 1 | +11.1% better
          row: True negative rate | 0.9833 | 0.275 | -72% worse
          row: False positive rate | 0.01667 | 0.725 | +4250% worse
          row: False negative rate | 0.1 | 0 | -100% better
        table: actual \\ predicted | 0 | 1
          row: 0 | 59 | 1
          row: 1 | 6 | 54
        table: actual \\ predicted | 0 | 1
          row: 0 | 11 | 29
          row: 1 | 0 | 40
        table: Class | Precision | Recall | F1 | Support
          row: 0 | 0.9077 / 1 | 0.9833 / 0.275 | 0.944 / 0.4314 | 60 / 40
          row: 1 | 0.9818 / 0.5797 | 0.9 / 1 | 0.9391 / 0.7339 | 60 / 40"
    `);
    expect(text(section(html, 'target'))).toContain("Feature Cramér's V sex 0.01672 → 0.0363 (+0.01957)");
  });

  it('regression: metrics side by side, MAE in the verdict', async () => {
    const { html } = await reportFor(BIRTHWT);
    expect(text(/<section class="verdict[\s\S]*?<\/section>/.exec(html)![0])).toContain('Model quality, mean absolute error: 470.1 → 646.2 (+37.5%, ▼ worse )');
    expect(sectionDigest(section(html, 'model'), true).join('\n')).toMatchInlineSnapshot(`
      "section #model: Model quality
        table: Metric | Reference | Current | Change
          row: Mean absolute error (MAE) | 470.1 | 646.2 | +37.5% worse
          row: Root mean square error (RMSE) | 578.9 | 837.7 | +44.7% worse
          row: Mean error (ME), prediction − target | -98.68 | 374.2 | +479.2%
          row: Mean absolute percentage error (MAPE, %) | 16.51 | 31.25 | +89.3% worse
          row: R² | 0.1546 | -0.06323 | -140.9% worse
          row: Largest absolute error | 1371 | 2634 | +92.1% worse
          row: Error standard deviation | 573.5 | 753.5 | +31.4% worse
          row: Absolute error standard deviation | 339.7 | 535.9 | +57.8% worse"
    `);
  });

  it('the data quality table puts each column\'s reference above its current values and flags values outside the reference', async () => {
    const { html } = await reportFor(BIRTHWT);
    const quality = section(html, 'quality');
    const age = /<tbody>\s*<tr>\s*<th scope="rowgroup"[^>]*><a href="#drift-\d+">age<\/a>([\s\S]*?)<\/tbody>/.exec(quality)![0];
    expect(all(age, /<tr[^>]*>([\s\S]*?)<\/tr>/g).map((m) => text(m[1]))).toEqual([
      'age numerical 95 of 95 outside 14 – 22 reference 94 0 9 (9.57%) 20 (19.15%) 14 22 18.99 2.14 17 19 21',
      'current 95 0 15 (15.79%) 25 (15.79%) 23 45 27.44 3.96 24 26 30',
    ]);
    expect(text(quality)).toContain('Duplicated rows 5 0 (changed)');
  });

  it('escapes test descriptions while keeping their bold column names', async () => {
    const { report } = await reportFor(BIRTHWT);
    const tampered = structuredClone(report);
    tampered.tests!.tests[0].description = 'The column **<img src=x>** is **odd**.';
    const page = await renderHtml(tampered);
    expect(page).not.toContain('<img');
    expect(page).toContain('The column <strong>&lt;img src&#x3D;x&gt;</strong> is <strong>odd</strong>.');
  });

  it('the banner shows the run status, never green while critical tests fail', async () => {
    const { report } = await reportFor(BIRTHWT);
    expect(report.status.code).toBe('tests_failing');
    const page = await renderHtml(report);
    expect(page).toContain('<section class="verdict tone-red"');
    expect(page).not.toContain('verdict tone-green');
    expect(page).toMatch(/<title>TESTS FAILING: /);
    // The same data without its suite has no dataset drift: then, and only then, the banner is green.
    const passing = { ...report, tests: undefined };
    expect(await renderHtml({ ...passing, status: runStatus(passing) })).toContain('<section class="verdict tone-green"');
  });

  it('leaves out each section the report does not have', async () => {
    const { report } = await reportFor(BIRTHWT);
    const bare = { ...report, tests: undefined, quality: undefined, target_drift: undefined, model_quality: undefined };
    const page = await renderHtml({ ...bare, status: runStatus(bare) });
    for (const id of ['tests', 'target', 'quality', 'model']) expect(page).not.toContain(`id="${id}"`);
    expect(page).not.toContain('tests failed');
    expect(page).not.toContain('Model quality,');
  });
});

describe('--format html: ROC curve', () => {
  it('draws both ROC curves as inline SVG (no script) with probabilities, and none from labels', async () => {
    const probs = CRABS.map((a) => (a === 'prediction' ? 'prob_1' : a === 'prob_0,prob_1' ? 'prediction,prob_0' : a));
    const { html, report } = await reportFor(probs);
    const model = section(html, 'model');
    expect(model).toContain('<h3>ROC curve</h3>');
    const lines = all(model, /<polyline points="([^"]+)" class="roc-(reference|current)"\/>/g);
    expect(lines.map((m) => m[2])).toEqual(['reference', 'current']);
    const curve = report.model_quality!.classification!.current!.roc_curve!;
    const last = lines[1][1].split(' ');
    expect(last).toHaveLength(curve.fpr.length);
    expect([last[0], last[last.length - 1]]).toEqual(['0.0,100.0', '100.0,0.0']);
    expect(section((await reportFor(CRABS)).html, 'model')).not.toContain('ROC curve');
  });
});

describe('mlobs render', () => {
  it('re-renders the same page from a saved report.json, with link flags added', async () => {
    const dir = tempDir();
    expect((await runCli(['report', ...ACTIVITIES, '--format', 'json,html', '-o', dir, '--quiet'])).code).toBe(0);
    const out = join(dir, 'again');
    const r = await runCli(['render', join(dir, 'report.json'), '--format', 'html', '-o', out]);
    expect(r).toMatchObject({ code: 0, stderr: '', stdout: `Report written to ${join(out, 'report.html')}\n` });
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toBe(readFileSync(join(dir, 'report.html'), 'utf8'));

    expect((await runCli(['render', join(dir, 'report.json'), '--alertmanager-url', 'https://alerts.example/#/alerts', '--quiet'])).code).toBe(0);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('href="https://alerts.example/#/alerts"');
  });

  it('refuses what is not a valid report, in one line, with exit 2', async () => {
    const dir = tempDir();
    const cases: [string, string, RegExp][] = [
      ['missing.json', '', /missing\.json: cannot read the report \(ENOENT\)$/],
      ['text.json', 'not json', /text\.json: not valid JSON: /],
      ['other.json', '{"kind":"something"}', /other\.json: not an mlobs report of schema /],
      ['old.json', '{"kind":"mlobs.report","schema_version":"0.9.0"}', new RegExp(`old\\.json: not an mlobs report of schema ${SCHEMA_VERSION}: schema_version: `)],
      ['broken.json', `{"kind":"mlobs.report","schema_version":"${SCHEMA_VERSION}","run":{}}`, /broken\.json: not an mlobs report of schema .*: run\.mlobs_version: /],
    ];
    for (const [file, content, message] of cases) {
      if (content) writeFileSync(join(dir, file), content);
      const r = await runCli(['render', join(dir, file)]);
      expect(r.code, file).toBe(2);
      expect(r.stderr.trimEnd().split('\n'), file).toHaveLength(1);
      expect(r.stderr.trimEnd(), file).toMatch(message);
    }
    const bad = await runCli(['render', join(dir, 'missing.json'), '--grafana-url', 'javascript:alert(1)']);
    expect(bad).toMatchObject({ code: 2, stderr: 'mlobs: error: --grafana-url: must be an http:// or https:// URL\n' });
  });
});
