import { basename } from 'node:path';
import { changeNote, formatNumber, formatPercent, formatRule, formatScore, mostDriftedFirst, qualityChanges, type QualityChange } from '../report/format.js';
import { failuresByImportance, readableDescription } from '../suite/display.js';
import { explanationFlags } from '../drift/explain.js';
import type { ColumnDrift, ColumnIssue, Report, RunStatus } from '../report/model.js';
import { STATUS_LOOK, statusLine } from '../report/status.js';

/**
 * The Slack summary of a report: what a person needs to decide whether to look, in one message that stays
 * within Block Kit's limits however many columns drift (docs.slack.dev block reference; bolt-js#2509 for
 * the total-size limit that bites below the documented per-block ones).
 */

export interface FailedTest {
  name: string;
  description: string;
}

/** A report as the message shows it; tests and model quality when the report has those sections. */
export interface NotifySummary {
  monitor: string;
  status: RunStatus;
  /** When the run finished (ISO 8601 UTC). */
  time: string;
  drift: Report['drift'];
  errors: ColumnIssue[];
  inputs: { reference: { path: string; rows: number }; current: { path: string; rows: number } };
  tests?: { total: number; failed: FailedTest[] };
  quality?: QualityChange[];
  reportUrl?: string;
  /** Where the report was written, shown when there is no URL: a message always says where to look. */
  reportPath?: string;
  grafanaUrl?: string;
}

export function summarize(report: Report, monitor: string, reportUrl?: string, reportPath?: string): NotifySummary {
  const side = (i: Report['inputs']['reference']) => ({ path: i.path, rows: i.rows });
  const suite = report.tests;
  const quality = qualityChanges(report.model_quality);
  return {
    monitor,
    status: report.status,
    time: report.run.finished_at,
    drift: report.drift,
    errors: report.errors,
    inputs: { reference: side(report.inputs.reference), current: side(report.inputs.current) },
    // Failed means FAIL or ERROR; a WARNING is a non-critical failure and does not make the run fail.
    ...(suite && {
      tests: {
        total: suite.summary.total_tests,
        failed: failuresByImportance(suite.tests).map((t) => ({
          name: t.column === null ? t.name : `${t.name} (${t.column})`,
          description: readableDescription(t, report.drift.columns),
        })),
      },
    }),
    ...(quality && { quality }),
    reportUrl,
    reportPath,
    grafanaUrl: report.links?.grafana,
  };
}

interface Text {
  type: 'mrkdwn';
  text: string;
}
export type Block =
  | { type: 'header'; text: { type: 'plain_text'; text: string; emoji: true } }
  | { type: 'context'; elements: Text[] }
  | { type: 'section'; text: Text }
  | { type: 'section'; fields: Text[] };

export interface SlackMessage {
  /** The notification and screen-reader text, and what clients without Block Kit show. */
  text: string;
  blocks: Block[];
}

export const LIMITS = {
  blocks: 50,
  headerText: 150,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  /** Slack answers msg_blocks_too_long near 13.2k characters of blocks (bolt-js#2509): stay well below. */
  totalText: 12_000,
  fallbackText: 3000,
};
/** Rows listed per section; the rest are counted, and the report link has them all. */
const TOP_COLUMNS = 10;
const TOP_TESTS = 10;
const TOP_QUALITY = 10;
const TOP_ERRORS = 5;
/** Longest column or test name shown, so that ten rows always fit a section. */
const NAME_CHARS = 80;
const LINE_CHARS = 250;

/** Cuts to `max` characters with an ellipsis, never splitting a surrogate pair. */
export function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  let cut = max - 1;
  if (/[\uD800-\uDBFF]/.test(s[cut - 1])) cut -= 1;
  return `${s.slice(0, cut)}…`;
}

/** Slack's three control characters in text (the rest of mrkdwn markup is harmless inside code spans). */
export const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** A name as inline code: a backtick would end the span, so it becomes a look-alike. */
const code = (name: string) => `\`${escapeText(clip(name, NAME_CHARS)).replace(/`/g, 'ˋ')}\``;
const count = (n: number) => n.toLocaleString('en-US');
const plural = (n: number, one: string, many = `${one}s`) => `${count(n)} ${n === 1 ? one : many}`;

function driftCounts(d: Report['drift']): string {
  return `${d.number_of_drifted_columns} of ${plural(d.number_of_columns, 'column')} drifted (${formatPercent(d.share_of_drifted_columns)}; dataset drift at ${formatPercent(d.drift_share)})`;
}

function inputLine(side: string, i: { path: string; rows: number }): string {
  return `${side}: ${code(basename(i.path))}, ${plural(i.rows, 'row')}`;
}

function columnLine(c: ColumnDrift): string {
  const role = c.role === 'feature' ? '' : ` (${c.role})`;
  const flags = explanationFlags(c);
  return `• ${code(c.column)}${role}: ${escapeText(c.stattest_name)} ${formatScore(c)} ${formatRule(c)}${flags.length ? ` _(${flags.join(', ')})_` : ''}`;
}

function qualityLine(q: QualityChange): string {
  return `• ${escapeText(clip(q.metric, NAME_CHARS))}: ${formatNumber(q.reference)} → ${formatNumber(q.current)}${changeNote(q)}`;
}

/** The report's link, or its path when no URL is configured, and Grafana's when it is. */
function whereToLook(s: NotifySummary): string | undefined {
  // A long path keeps its end: the run directory and file name are what tell reports apart.
  const path = s.reportPath && (s.reportPath.length > LINE_CHARS ? `…${s.reportPath.slice(-(LINE_CHARS - 1))}` : s.reportPath);
  const report = s.reportUrl ? `<${s.reportUrl}|Open the full report>` : path && `Report: \`${escapeText(path).replace(/`/g, 'ˋ')}\``;
  const parts = [report, s.grafanaUrl && `<${s.grafanaUrl}|Grafana dashboard>`].filter(Boolean);
  return parts.length ? parts.join(' · ') : undefined;
}

/** A titled list that fits one section: at most `top` lines, then how many more there are. */
function listSection(title: string, lines: string[], top: number): Block {
  const shown = lines.slice(0, top).map((l) => clip(l, LINE_CHARS));
  if (lines.length > top) shown.push(`_…and ${count(lines.length - top)} more_`);
  return { type: 'section', text: { type: 'mrkdwn', text: clip(`*${title}*\n${shown.join('\n')}`, LIMITS.sectionText) } };
}

function fallback(s: NotifySummary, drifted: ColumnDrift[]): string {
  const parts = [`mlobs ${clip(s.monitor, NAME_CHARS)}: ${statusLine(s.status)}.`];
  if (drifted.length > 0) parts.push(`Top drifted: ${drifted.slice(0, 5).map((c) => clip(c.column, NAME_CHARS)).join(', ')}.`);
  if (s.reportUrl || s.reportPath) parts.push(`Report: ${s.reportUrl ?? s.reportPath}`);
  return clip(escapeText(parts.join(' ')), LIMITS.fallbackText);
}

export function buildMessage(s: NotifySummary): SlackMessage {
  const drifted = s.drift.columns.filter((c) => c.drift_detected).sort(mostDriftedFirst);
  const time = `${s.time.slice(0, 19).replace('T', ' ')} UTC`;
  const fields = [
    `*Dataset drift*\n${s.drift.dataset_drift ? 'Detected' : 'Not detected'}: ${driftCounts(s.drift)}`,
    `*Inputs*\n${inputLine('Reference', s.inputs.reference)}\n${inputLine('Current', s.inputs.current)}`,
  ];
  // The counts of the run status, so the field and the header agree.
  const couldNotRun = s.status.test_errors ? `, ${plural(s.status.test_errors, 'critical test')} could not run` : '';
  if (s.tests) fields.push(`*Tests*\n${s.status.failed_tests} of ${plural(s.tests.total, 'test')} failed${couldNotRun}`);
  const blocks: Block[] = [
    // The header is the status word alone (the counts follow in the fields): it must stay short on a phone.
    { type: 'header', text: { type: 'plain_text', text: clip(`${STATUS_LOOK[s.status.code].icon} ${STATUS_LOOK[s.status.code].word}: ${s.monitor}`, LIMITS.headerText), emoji: true } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: `Monitor ${code(s.monitor)} · finished ${time}` }] },
    { type: 'section', fields: fields.map((text) => ({ type: 'mrkdwn', text: clip(text, LIMITS.fieldText) })) },
  ];
  // Most important first: the dataset's verdict (above), the model, the columns that drifted, then the tests.
  if (s.quality && s.quality.length > 0) blocks.push(listSection('Model quality (reference → current)', s.quality.map(qualityLine), TOP_QUALITY));
  if (drifted.length > 0) blocks.push(listSection('Top drifted columns', drifted.map(columnLine), TOP_COLUMNS));
  if (s.tests && s.tests.failed.length > 0) {
    // Test descriptions mark names **like this**, as Evidently's do; Slack's bold is a single asterisk.
    const lines = s.tests.failed.map((t) => `• *${escapeText(clip(t.name, NAME_CHARS))}*: ${escapeText(t.description).replace(/\*\*(.+?)\*\*/g, '*$1*')}`);
    blocks.push(listSection('Failed tests, most important first', lines, TOP_TESTS));
  }
  if (s.errors.length > 0) {
    const lines = s.errors.map((e) => `• ${code(e.column)}: ${escapeText(e.message)}`);
    blocks.push(listSection('Columns that could not be scored', lines, TOP_ERRORS));
  }
  const look = whereToLook(s);
  if (look) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(look, LIMITS.sectionText) } });
  return { text: fallback(s, drifted), blocks };
}
