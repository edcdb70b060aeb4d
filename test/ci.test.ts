import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateAction, validateWorkflow } from '@action-validator/core';
import type { Nodes, Root, Table } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { parse } from 'yaml';
import { flagsFor, longFlag } from '../src/settings/index.js';
import { ACTION_INPUTS, escapeData, escapeProperty, inputEnv } from '../src/ci/action.js';
import type { Report } from '../src/report/model.js';
import { caseName, renderJunit } from '../src/writers/junit.js';
import { mdText, renderMarkdown } from '../src/writers/markdown.js';
import { driftSentence, windowLabel } from '../src/windows/view.js';
import { DRIFT_FROM_MAY_2022 } from './helpers/activities_log.js';
import { readReport, ROOT, runCli, tempDir } from './helpers/cli.js';
import { writeWideDataset } from './helpers/wide_dataset.js';

const ACTIVITIES = ['-r', 'fixtures/activities/reference.csv', '-c', 'fixtures/activities/current.csv', '--target', 'Quality', '--task', 'regression'];
const HOSTILE = { reference: 'fixtures/ci/hostile/reference.csv', current: 'fixtures/ci/hostile/current.csv' };
const BIRTHWT = 'fixtures/golden/datasets/birthwt_maternal_age_split_regression';
const REGRESSION = ['-r', `${BIRTHWT}/reference.csv`, '-c', `${BIRTHWT}/current.csv`, '--target', 'bwt', '--prediction', 'prediction', '--task', 'regression'];
const CRABS = 'fixtures/golden/datasets/crabs_size_split_classification';
/** The widest real dataset among the fixtures (15 columns). */
const EARTHQUAKES = 'fixtures/golden/datasets/earthquakes_usgs_week_split';
const XSD = readFileSync(join(ROOT, 'fixtures/ci/junit.xsd'), 'utf8');
/** The activities log in monthly windows, drifting from May 2022; two windows at the end have too few rows. */
const WINDOWED = [...DRIFT_FROM_MAY_2022, '--timestamp', 'Date', '--ignore', 'Activity ID', '--target', 'Quality', '--task', 'regression'];
const withWindows = (size: string, minRows: string) => WINDOWED.map((a, i) => (WINDOWED[i - 1] === '--window' ? size : WINDOWED[i - 1] === '--min-window-rows' ? minRows : a));

const markdown = (text: string): Root => fromMarkdown(text, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
const textOf = (n: Nodes): string => ('value' in n ? n.value : 'children' in n ? n.children.map((c) => textOf(c as Nodes)).join('') : '');
const cells = (t: Table) => t.children.map((row) => row.children.map(textOf));
const all = (n: Nodes, type: string): Nodes[] => [...(n.type === type ? [n] : []), ...('children' in n ? n.children.flatMap((c) => all(c as Nodes, type)) : [])];

async function report(args: string[], formats: string): Promise<{ dir: string; report: Report }> {
  const dir = tempDir();
  const res = await runCli(['report', ...args, '-o', dir, '-f', formats, '--quiet']);
  expect(res.code, res.stderr).toBe(0);
  return { dir, report: readReport(dir) };
}

describe('--format markdown', () => {
  it('a GFM job summary: status heading, drifted-columns table, failed tests by type, model quality, link to the report', async () => {
    const { dir, report: r } = await report(ACTIVITIES, 'json,html,markdown');
    const text = readFileSync(join(dir, 'summary.md'), 'utf8');
    const tree = markdown(text);
    const headings = all(tree, 'heading').map(textOf);
    expect(headings[0]).toBe(`🔴 ${r.status.headline}`);
    expect(r.status.code).toBe('tests_failing');
    expect(headings).toContain('Drifted columns (3 of 6)');
    expect(headings).toContain(`Failed tests (${r.status.failed_tests} of ${r.status.total_tests})`);
    const [drift] = all(tree, 'table') as Table[];
    expect(cells(drift)[0]).toEqual(['Column', 'Test', 'Score', 'Drift if']);
    expect(cells(drift).slice(1).map((row) => row[0])).toEqual(['Distance (km)', 'Quality (target)', 'Climb (m)']);
    expect(cells(drift)[1].slice(2)).toEqual(['9.05e-7', '≤ 0.05']);
    // Every failed test is listed under its test type, with the count per type.
    const items = all(tree, 'listItem');
    expect(items).toHaveLength(r.status.failed_tests);
    expect(all(tree, 'strong').map(textOf)).toContain('Drift per Column');
    expect(text).toMatch(/\*\*Drift per Column\*\* \(3\)/);
    expect(text).toContain(`\`${join(dir, 'report.html')}\``);
    expect(Buffer.byteLength(text)).toBeLessThan(16 * 1024);
  });

  it('model quality says better or worse in words, next to the change', async () => {
    const { dir } = await report(REGRESSION, 'json,markdown');
    const tree = markdown(readFileSync(join(dir, 'summary.md'), 'utf8'));
    expect(all(tree, 'heading').map(textOf)).toContain('Model quality (regression, reference → current)');
    const quality = (all(tree, 'table') as Table[]).find((t) => textOf(t.children[0].children[0] as Nodes) === 'Metric')!;
    const rows = cells(quality).slice(1);
    expect(rows.map((r) => r[0])).toEqual(['RMSE', 'MAE', 'MAPE (%)', 'Mean error', 'R²']);
    expect(rows.filter((r) => r[0] !== 'Mean error').every((r) => /^[+-][\d.]+%, (better|worse)$/.test(r[3]))).toBe(true);
  });

  it('data values stay literal text: no markup, mentions, links or broken tables from a column name', async () => {
    const { dir, report: r } = await report(['-r', HOSTILE.reference, '-c', HOSTILE.current], 'json,markdown');
    const tree = markdown(readFileSync(join(dir, 'summary.md'), 'utf8'));
    const table = all(tree, 'table')[0] as Table;
    const names = r.drift.columns.filter((c) => c.drift_detected).map((c) => c.column);
    expect(table.children.slice(1).map((row) => textOf(row.children[0] as Nodes))).toEqual(expect.arrayContaining(names));
    expect(table.children.every((row) => row.children.length === 4)).toBe(true);
    for (const kind of ['html', 'link', 'emphasis', 'delete', 'inlineMath']) expect(all(tree, kind), kind).toEqual([]);
    // Each escaped name reads back as itself, however hostile.
    for (const s of ['a|b', '**x** _y_ `z`', '@team #12 :tada: $x$', '<script>&amp;', '- 1. # > +', '1) x', 'line\nbreak']) {
      const para = all(markdown(`x ${mdText(s)}`), 'paragraph')[0];
      expect(textOf(para)).toBe(`x ${s.replace(/\s+/g, ' ')}`);
      expect(textOf(all(markdown(mdText(s)), 'root')[0])).toBe(s.replace(/\s+/g, ' '));
    }
  });

  it('stays small on the widest real dataset, and lists at most 25 columns with "and N more" on a wide one', async () => {
    const { dir } = await report(['-r', `${EARTHQUAKES}/reference.csv`, '-c', `${EARTHQUAKES}/current.csv`], 'json,markdown');
    const small = readFileSync(join(dir, 'summary.md'), 'utf8');
    markdown(small);
    expect(Buffer.byteLength(small)).toBeLessThan(32 * 1024);

    const data = writeWideDataset(tempDir(), 300, 400);
    const wide = await report(['-r', data.reference, '-c', data.current], 'json,markdown');
    const text = readFileSync(join(wide.dir, 'summary.md'), 'utf8');
    const drifted = wide.report.drift.number_of_drifted_columns;
    expect(drifted).toBeGreaterThan(25);
    expect((all(markdown(text), 'table')[0] as Table).children).toHaveLength(26);
    expect(text).toContain(`_…and ${drifted - 25} more_`);
    // GitHub caps a step summary at 1 MiB.
    expect(Buffer.byteLength(text)).toBeLessThan(64 * 1024);
  });
});

describe('--format markdown with windows', () => {
  it('an "Over time" table: a row per window with rows, drifted columns, failed tests and status; when drift began', async () => {
    const { dir, report: typed } = await report(WINDOWED, 'json,markdown');
    const r: any = typed;
    const text = readFileSync(join(dir, 'summary.md'), 'utf8');
    const tree = markdown(text);
    const headings = all(tree, 'heading').map(textOf);
    expect(headings[1]).toBe('Over time (5 windows of 1mo by Date)');
    expect(headings[2]).toMatch(/^Drifted columns/);
    const sentence = driftSentence(r)!;
    expect(sentence).toMatch(/^drift began in window 2022-05 \(2 windows ago\)/);
    expect(all(tree, 'paragraph').map(textOf)).toContain(sentence.charAt(0).toUpperCase() + sentence.slice(1));
    const [table] = all(tree, 'table') as Table[];
    expect(cells(table)).toEqual([
      ['Window', 'Rows', 'Drifted columns', 'Tests failed', 'Status'],
      ...r.windows.map((w: any) => {
        const label = windowLabel(w, r.windowing) + (w.index === r.windowing.latest_complete ? ' (gated)' : '');
        if (!w.judged) return [label, String(w.rows), '', '', `not judged: ${w.not_judged_reason}`];
        const d = w.drift;
        const status = w.tests.failed.some((t: any) => t.status === 'FAIL') ? '🔴 TESTS FAILING' : d.dataset_drift ? '🟠 DRIFT' : '🟢 OK';
        return [label, String(w.rows), `${d.number_of_drifted_columns} of ${d.number_of_columns} (${Math.round(d.share_of_drifted_columns * 100)}%)`, `${w.tests.failed_tests} of ${w.tests.total_tests}`, status];
      }),
    ]);
    expect(cells(table).map((row) => row[0])).toEqual(['Window', '2022-05', '2022-06', '2022-07 (gated)', '2022-08', '2022-09']);
    expect(cells(table)[4][4]).toBe('not judged: only 37 rows (fewer than --min-window-rows 38)');
  });

  it('lists the latest 30 windows with "and N earlier windows"; column names in the sentence stay literal text', async () => {
    const { dir, report: typed } = await report(withWindows('3d', '3'), 'json,markdown');
    const r: any = typed;
    const text = readFileSync(join(dir, 'summary.md'), 'utf8');
    expect(r.windows.length).toBeGreaterThan(40);
    const [table] = all(markdown(text), 'table') as Table[];
    expect(table.children).toHaveLength(31);
    expect(cells(table).at(-1)![0]).toBe(windowLabel(r.windows.at(-1), r.windowing));
    expect(text).toContain(`_…and ${r.windows.length - 30} earlier windows_`);
    expect(Buffer.byteLength(text)).toBeLessThan(32 * 1024);

    const hostile = '**x** [a](b) @team|c <i>';
    const renamed = structuredClone(r);
    for (const w of renamed.windows) for (const c of w.drift?.columns ?? []) c.column = `${hostile} ${c.column}`;
    renamed.windows[40] = { ...renamed.windows[40], judged: false, drift: null, not_judged_reason: `column "${hostile}": no number` };
    expect(driftSentence(renamed)).toContain(hostile);
    const tree = markdown(renderMarkdown(renamed, { dir, formats: ['json'], monitor: 'm' }));
    const overTime = tree.children.slice(2, tree.children.findIndex((n, i) => i > 2 && n.type === 'heading'));
    expect(overTime.map((n) => n.type)).toEqual(['heading', 'paragraph', 'table', 'paragraph']);
    for (const kind of ['html', 'link', 'emphasis', 'strong', 'inlineMath']) expect(overTime.slice(0, 3).flatMap((n) => all(n, kind)), kind).toEqual([]);
    expect(all(tree, 'paragraph').map(textOf)).toContain(
      (({ s }) => s.charAt(0).toUpperCase() + s.slice(1))({ s: driftSentence(renamed)! }),
    );
    const rows = cells(all(tree, 'table')[0] as Table);
    expect(rows.every((row) => row.length === 5)).toBe(true);
    expect(rows.map((row) => row[4])).toContain(`not judged: column "${hostile}": no number`);
  });
});

describe('--format junit', () => {
  const validate = (xml: string) => validateXML({ xml: [{ fileName: 'junit.xml', contents: xml }], schema: [{ fileName: 'junit.xsd', contents: XSD }] });

  it('validates against the JUnit schema, one testcase per suite test, counts as in report.json', async () => {
    // The schema does reject what Jenkins and GitLab would: a suite without its name and counts.
    expect((await validate('<testsuites><testsuite tests="1"><testcase name="x"/></testsuite></testsuites>')).valid).toBe(false);
    for (const args of [ACTIVITIES, ['-r', `${CRABS}/reference.csv`, '-c', `${CRABS}/current.csv`, '--target', 'sex', '--prediction', 'prediction', '--task', 'classification']]) {
      const { dir, report: r } = await report(args, 'json,junit');
      const xml = readFileSync(join(dir, 'junit.xml'), 'utf8');
      const result = await validate(xml);
      expect(result.errors, xml.slice(0, 500)).toEqual([]);
      expect(result.valid).toBe(true);
      const tests = r.tests!.tests;
      const count = (status: string) => tests.filter((t) => t.status === status).length;
      expect(xml).toMatch(new RegExp(`<testsuites [^>]*tests="${tests.length}" failures="${count('FAIL')}" errors="${count('ERROR')}"`));
      expect(xml.match(/<testcase /g)).toHaveLength(r.tests!.summary.total_tests);
      expect(xml.match(/<failure /g) ?? []).toHaveLength(r.tests!.summary.failed_tests);
      expect(xml.match(/<error /g) ?? []).toHaveLength(count('ERROR'));
      const groups = [...new Set(tests.map((t) => t.group))];
      expect([...xml.matchAll(/<testsuite name="([^"]+)"/g)].map((m) => m[1])).toEqual(groups);
      for (const t of tests) expect(xml).toContain(`classname="${t.group}" name="${caseName(t).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}"`);
    }
  });

  it('a windowed run adds a "windows" suite: per window a dataset-drift case and a tests case, not judged ones skipped', async () => {
    const { dir, report: typed } = await report(WINDOWED, 'json,junit');
    const r: any = typed;
    const xml = readFileSync(join(dir, 'junit.xml'), 'utf8');
    expect((await validate(xml)).errors, xml.slice(0, 500)).toEqual([]);
    const suite = xml.slice(xml.indexOf('<testsuite name="windows"'));
    const judged = r.windows.filter((w: any) => w.judged);
    const drifted = judged.filter((w: any) => w.drift.dataset_drift).length;
    const failing = judged.filter((w: any) => w.tests.failed.some((t: any) => t.status === 'FAIL')).length;
    const skipped = 2 * (r.windows.length - judged.length);
    expect(suite).toMatch(new RegExp(`^<testsuite name="windows" tests="${2 * r.windows.length}" failures="${drifted + failing}" errors="0" skipped="${skipped}"`));
    expect(suite).toContain('<property name="gated" value="window 2022-07"/>');
    expect([...suite.matchAll(/<testcase classname="windows" name="([^"]+)"/g)].map((m) => m[1])).toEqual(
      r.windows.flatMap((w: any) => [`window ${windowLabel(w, r.windowing)} dataset drift`, `window ${windowLabel(w, r.windowing)} tests`]),
    );
    expect(suite).toMatch(/name="window 2022-05 dataset drift" time="0">\n\s*<failure type="DRIFT" message="4 of 8 columns drifted \(50%; dataset drift at 25%\)">/);
    expect(suite).toMatch(/name="window 2022-08 tests" time="0">\n\s*<skipped type="not judged" message="only 37 rows/);
    // The totals count the whole report's suite tests and the window cases.
    const tests = r.tests.tests;
    expect(xml).toMatch(
      new RegExp(`<testsuites [^>]*tests="${tests.length + 2 * r.windows.length}" failures="${tests.filter((t: any) => t.status === 'FAIL').length + drifted + failing}" errors="0"`),
    );
    // A hostile reason and column name stay valid XML.
    const hostile = 'col\u0001"<x>&\n]]>';
    const windows = structuredClone(r.windows);
    windows[0].drift.columns[0].column = hostile;
    windows[3].not_judged_reason = hostile;
    expect((await validate(renderJunit({ ...r, windows }))).errors).toEqual([]);
  });

  it('errors, warnings and hostile text: <error>, a passing case with <system-out>, still schema-valid XML', async () => {
    const { report: base } = await report(['-r', HOSTILE.reference, '-c', HOSTILE.current], 'json');
    const [first, second, ...rest] = base.tests!.tests;
    const hostile = 'col\u0001"<x>&\u{1F600}\n]]>';
    const tests = [
      { ...first, status: 'ERROR' as const, column: hostile, description: `Test failed: **${hostile}**` },
      { ...second, status: 'WARNING' as const, critical: false },
      ...rest,
    ];
    const xml = renderJunit({ ...base, tests: { ...base.tests!, tests } });
    expect((await validate(xml)).errors).toEqual([]);
    expect(xml).toMatch(/<testcase [^>]*>\n\s*<error type="ERROR" message="Test failed: col\uFFFD&quot;&lt;x&gt;&amp;\u{1F600}&#10;\]\]&gt;"/u);
    expect(xml).toMatch(/<system-out>WARNING \(not critical\): /);
  });
});

describe('GitHub Action', () => {
  const action = readFileSync(join(ROOT, 'action.yml'), 'utf8');
  const spec = parse(action);

  it('action.yml and the workflows pass @action-validator/core', () => {
    expect(validateAction(action).errors).toEqual([]);
    for (const wf of ['drift-report.yml', 'ci.yml']) expect(validateWorkflow(readFileSync(join(ROOT, '.github/workflows', wf), 'utf8')).errors, wf).toEqual([]);
  });

  it('has the inputs and outputs CI needs; each input reaches mlobs as the flag it names, through the environment', () => {
    expect(Object.keys(spec.inputs).sort()).toEqual(Object.keys(ACTION_INPUTS).sort());
    expect(Object.keys(spec.outputs).sort()).toEqual(['dataset-drift-share', 'exit-code', 'failed-tests', 'report-dir', 'status']);
    const flags = flagsFor('report').map((o) => longFlag(o.flags));
    for (const [name, flag] of Object.entries(ACTION_INPUTS)) {
      expect(flags, name).toContain(flag);
      expect(spec.runs.steps[0].env[inputEnv(name)]).toBe(`\${{ inputs.${name} }}`);
    }
    // No download at run time: one composite step running the action's own checkout with the runner's Node.js.
    expect(spec.runs.using).toBe('composite');
    expect(spec.runs.steps).toHaveLength(1);
    expect(spec.runs.steps[0].run).not.toMatch(/\$\{\{|^\s*(npm|npx|curl|wget)\b/m);
    expect(spec.runs.steps[0].run).toContain('node "$GITHUB_ACTION_PATH/bin/mlobs-action.js"');
  });

  it('escapes workflow-command data and properties as GitHub does', () => {
    expect(escapeData('50%\r\n::warning::x')).toBe('50%25%0D%0A::warning::x');
    expect(escapeProperty('a: b, c%\n')).toBe('a%3A b%2C c%25%0A');
  });

  let run: { code: number | null; stdout: string; outputs: Record<string, string>; summary: string; dir: string; report: Report };
  beforeAll(async () => {
    const tmp = tempDir();
    const [summary, output] = [join(tmp, 'summary.md'), join(tmp, 'output.txt')];
    writeFileSync(summary, '# earlier step\n');
    writeFileSync(output, '');
    const dir = join(tmp, 'out');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      GITHUB_STEP_SUMMARY: summary,
      GITHUB_OUTPUT: output,
      [inputEnv('reference')]: HOSTILE.reference,
      [inputEnv('current')]: HOSTILE.current,
      [inputEnv('fail-on')]: 'tests',
      [inputEnv('formats')]: 'json,junit',
      [inputEnv('out')]: dir,
      [inputEnv('slack-channel')]: '',
    };
    const child = spawn(process.execPath, [join(ROOT, 'bin/mlobs-action.js')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    // $GITHUB_OUTPUT lines: name<<delimiter, the value, the delimiter.
    const outputs: Record<string, string> = {};
    for (const m of readFileSync(output, 'utf8').matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) outputs[m[1]] = m[3];
    run = { code, stdout, outputs, summary: readFileSync(summary, 'utf8'), dir, report: readReport(dir) };
  });

  it('keeps the gate: exit 1 when a critical test fails, with the outputs set from report.json', () => {
    expect(run.code).toBe(1);
    expect(run.outputs).toEqual({
      status: 'tests_failing',
      'dataset-drift-share': String(run.report.drift.share_of_drifted_columns),
      'failed-tests': String(run.report.status.failed_tests),
      'report-dir': run.dir,
      'exit-code': '1',
    });
  });

  it('appends the Markdown summary to $GITHUB_STEP_SUMMARY', () => {
    expect(run.summary.startsWith('# earlier step\n## 🔴 TESTS FAILING: ')).toBe(true);
    expect(all(markdown(run.summary), 'table')).toHaveLength(1);
  });

  it('one annotation per failed critical test; no data value can start a workflow command', () => {
    const lines = run.stdout.split('\n');
    const stop = lines[0].match(/^::stop-commands::(mlobs-[\w-]+)$/)![1];
    const resume = lines.indexOf(`::${stop}::`);
    expect(resume).toBeGreaterThan(0);
    // mlobs's own output (column names at line starts included) is all inside the stopped span...
    expect(lines.slice(1, resume).some((l) => l.startsWith('::error::injected from data'))).toBe(true);
    // ...and after it, only our annotations are commands.
    const commands = lines.slice(resume + 1).filter((l) => l.startsWith('::'));
    const failed = run.report.tests!.tests.filter((t) => t.status === 'FAIL' || (t.status === 'ERROR' && t.critical));
    expect(commands).toHaveLength(failed.length);
    for (const c of commands) {
      const m = c.match(/^::error title=([^:,]*)::(.*)$/);
      expect(m, c).not.toBeNull();
      expect(m![2]).not.toMatch(/%(?!25|0D|0A)/);
    }
    expect(commands.some((c) => c.includes('title=mlobs default%3A failed%3A Drift per Column [%3A%3Aerror%3A%3Ainjected from data]::'))).toBe(true);
    expect(commands.some((c) => c.includes('100%25 sure%2C x%3Ay') || c.includes('100%25 sure, x:y'))).toBe(true);
  });
});

describe('GitLab CI example (deploy/ci/gitlab-ci.yml)', () => {
  it('publishes junit.xml as the JUnit report and keeps the HTML, whatever the gate says', () => {
    const ci = parse(readFileSync(join(ROOT, 'deploy/ci/gitlab-ci.yml'), 'utf8'));
    const job = ci['drift-report'];
    expect(ci.stages).toContain(job.stage);
    expect(job.artifacts.when).toBe('always');
    expect(job.artifacts.reports.junit).toMatch(/junit\.xml$/);
    expect(job.artifacts.paths).toContain('reports/');
    const call = (job.script as string[]).find((l) => l.includes('bin/mlobs.js report'))!;
    expect(call).toMatch(/--format json,html,markdown,junit/);
    const flags = flagsFor('report').map((o) => longFlag(o.flags));
    for (const f of call.match(/--[a-z-]+/g)!) expect(flags).toContain(f);
  });
});
