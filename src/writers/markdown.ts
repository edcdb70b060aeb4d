import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomic.js';
import { changeNote, formatCount, formatNumber, formatPercent, mostDriftedFirst, qualityChanges, RULE_SYMBOL } from '../report/format.js';
import { scoreFromJson, type Report } from '../report/model.js';
import { STATUS_LOOK, statusLine } from '../report/status.js';
import { driftSentence, windowLabel, windowStatus } from '../windows/view.js';
import { HTML_FILE } from './html/index.js';
import { JSON_FILE } from './json.js';

export const MARKDOWN_FILE = 'summary.md';

/**
 * Rows listed per section; the rest are counted. With names and descriptions clipped below, the whole
 * summary stays under ~40 kB however wide the data, far below GitHub's 1 MiB step-summary cap.
 */
const TOP_COLUMNS = 25;
const TOP_TESTS = 50;
const TOP_PER_TYPE = 10;
/** Windows listed, the latest ones: the question is how the recent past looks; report.json has them all. */
const TOP_WINDOWS = 30;
const NAME_CHARS = 80;
const TEXT_CHARS = 300;

/** Failed-test groups in order of importance: dataset-level drift, the model, then the data's own checks. */
const GROUP_ORDER = ['data_drift', 'regression', 'classification', 'data_quality', 'data_integrity'];

const clip = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

/**
 * Data values as literal text. Inline markup characters are backslash-escaped (`|` would also end a table
 * cell; `@`, `#` and `:` would become GitHub mentions, issue links and emoji; `$` math), `&` is written as an
 * entity, line breaks become spaces, and a leading character that could open a block (heading, list, quote)
 * is escaped too.
 */
export function mdText(s: string, max = NAME_CHARS): string {
  return clip(s.replace(/\s+/g, ' '), max)
    .replace(/[\\`*_{}[\]<>|~$@#:!]/g, '\\$&')
    .replace(/&/g, '&amp;')
    .replace(/^([-+=]|\d+(?=[.)]))/, (m) => (/\d/.test(m) ? `${m}\\` : `\\${m}`));
}

/** An Evidently description keeps its **bold** names; the names themselves are escaped like any data. */
const description = (d: string) => d.split(/\*\*(.+?)\*\*/g).map((part, i) => (i % 2 ? `**${mdText(part)}**` : mdText(part, TEXT_CHARS))).join('');

const more = (n: number) => (n > 0 ? [`_…and ${n} more_`] : []);

function driftSection(report: Report): string[] {
  const drifted = report.drift.columns.filter((c) => c.drift_detected).sort(mostDriftedFirst);
  if (!drifted.length) return [];
  const rows = drifted.slice(0, TOP_COLUMNS).map((c) => {
    const name = `${mdText(c.column)}${c.role === 'feature' ? '' : ` (${c.role})`}`;
    return `| ${name} | ${mdText(c.stattest_name)} | ${formatNumber(scoreFromJson(c.score))} | ${RULE_SYMBOL[c.drift_rule]} ${formatNumber(c.threshold)} |`;
  });
  return [
    `### Drifted columns (${drifted.length} of ${report.drift.number_of_columns})`,
    '',
    '| Column | Test | Score | Drift if |',
    '| --- | --- | ---: | --- |',
    ...rows,
    '',
    ...more(drifted.length - TOP_COLUMNS),
  ];
}

function testsSection(report: Report): string[] {
  const failed = (report.tests?.tests ?? []).filter((t) => t.status === 'FAIL' || t.status === 'ERROR');
  if (!failed.length) return [];
  const types = new Map<string, typeof failed>();
  const rank = (g: string) => GROUP_ORDER.indexOf(g);
  for (const t of [...failed].sort((a, b) => rank(a.group) - rank(b.group))) types.set(t.name, [...(types.get(t.name) ?? []), t]);
  const out = [`### Failed tests (${failed.length} of ${report.tests!.summary.total_tests})`, ''];
  let shown = 0;
  let untold = 0;
  for (const [name, tests] of types) {
    if (shown >= TOP_TESTS) {
      untold += tests.length;
      continue;
    }
    const listed = tests.slice(0, Math.min(TOP_PER_TYPE, TOP_TESTS - shown));
    shown += listed.length;
    out.push(`**${mdText(name)}** (${tests.length})`, '');
    for (const t of listed) {
      const about = t.column ?? (t.label === null ? null : String(t.label));
      const status = t.status === 'ERROR' ? ' (could not run)' : '';
      out.push(`- ${about === null ? '' : `${mdText(about)}: `}${description(t.description)}${status}`);
    }
    if (tests.length > listed.length) out.push(`- _…and ${tests.length - listed.length} more_`);
    out.push('');
  }
  return [...out, ...more(untold)];
}

/** "Over time": when drift began, then a row per window (the latest TOP_WINDOWS), as the terminal lists them. */
function windowsSection(report: Report): string[] {
  const { windows, windowing } = report;
  if (!windows?.length || !windowing) return [];
  const gated = windowing.gate === 'latest' ? windowing.latest_complete : null;
  const shown = windows.slice(-TOP_WINDOWS);
  const rows = shown.map((w) => {
    const notes = [w.index === gated ? 'gated' : '', w.complete ? '' : 'incomplete'].filter(Boolean);
    const label = `${mdText(windowLabel(w, windowing))}${notes.length ? ` (${notes.join(', ')})` : ''}`;
    const status = windowStatus(w);
    if (status === null) return `| ${label} | ${formatCount(w.rows)} | | | not judged: ${mdText(w.not_judged_reason ?? '', TEXT_CHARS)} |`;
    const d = w.drift!;
    const drifted = `${d.number_of_drifted_columns} of ${d.number_of_columns} (${formatPercent(d.share_of_drifted_columns)})`;
    const tests = w.tests ? `${w.tests.failed_tests} of ${w.tests.total_tests}` : '';
    return `| ${label} | ${formatCount(w.rows)} | ${drifted} | ${tests} | ${STATUS_LOOK[status].icon} ${STATUS_LOOK[status].word} |`;
  });
  const sentence = driftSentence(report);
  const by = windowing.timestamp ? ` by ${mdText(windowing.timestamp)}` : '';
  return [
    `### Over time (${windows.length} windows of ${mdText(windowing.window)}${by})`,
    '',
    ...(sentence ? [mdText(sentence.charAt(0).toUpperCase() + sentence.slice(1), TEXT_CHARS * 2), ''] : []),
    '| Window | Rows | Drifted columns | Tests failed | Status |',
    '| --- | ---: | ---: | ---: | --- |',
    ...rows,
    '',
    ...(windows.length > shown.length ? [`_…and ${windows.length - shown.length} earlier windows_`, ''] : []),
  ];
}

function qualitySection(report: Report): string[] {
  const mq = report.model_quality;
  if (mq?.classification?.error) return ['### Model quality', '', `Not computed: ${mdText(mq.classification.error, TEXT_CHARS)}`, ''];
  const changes = qualityChanges(mq);
  if (!mq || !changes?.length) return [];
  return [
    `### Model quality (${mq.task}, reference → current)`,
    '',
    '| Metric | Reference | Current | Change |',
    '| --- | ---: | ---: | --- |',
    ...changes.map((q) => `| ${mdText(q.metric)} | ${formatNumber(q.reference)} | ${formatNumber(q.current)} | ${changeNote(q).replace(/^ \((.*)\)$/, '$1')} |`),
    '',
  ];
}

export interface MarkdownContext {
  /** Where the full report is: the run's output directory. */
  dir: string;
  formats: readonly string[];
  monitor: string;
}

/** The run as a GitHub-flavoured Markdown job summary or PR comment. */
export function renderMarkdown(report: Report, ctx: MarkdownContext): string {
  const { reference, current } = report.inputs;
  const side = (i: typeof reference) => `${mdText(i.path)} (${formatCount(i.rows)} rows)`;
  const full = [
    ['html', HTML_FILE],
    ['json', JSON_FILE],
  ]
    .filter(([format]) => ctx.formats.includes(format))
    .map(([, file]) => `\`${join(ctx.dir, file).replace(/`/g, '')}\``);
  const lines = [
    `## ${statusLine(report.status)}`,
    '',
    `Monitor **${mdText(ctx.monitor)}** · reference ${side(reference)} · current ${side(current)} · mlobs ${report.run.mlobs_version}, ${report.run.finished_at.slice(0, 19).replace('T', ' ')} UTC`,
    '',
    ...windowsSection(report),
    ...driftSection(report),
    ...testsSection(report),
    ...qualitySection(report),
    full.length ? `Full report: ${full.join(', ')}` : `Full report: the \`--format json\` or \`html\` output in ${mdText(ctx.dir)}`,
  ];
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

/** `into`: the directory written to, the output directory itself or a staging directory beside it. */
export async function writeMarkdown(report: Report, into: string, ctx: MarkdownContext): Promise<string> {
  const path = join(into, MARKDOWN_FILE);
  await writeFileAtomic(path, renderMarkdown(report, ctx));
  return path;
}
