import { InputError, MlobsError } from '../errors.js';
import type { ParsedTable } from '../io/csv/types.js';
import type { AnalyzeOptions } from '../pipeline.js';
import { WindowColumn, type Report, type ReportWarning, type ReportWindow, type Windowing } from '../report/model.js';
import type { WindowSpec } from './spec.js';
import { runWindows, type WindowBody, type WindowOutcome } from './parallel.js';
import { gatherRows, readTimestamps, splitWindows, type Timestamps, type WindowSlice } from './split.js';

export type GateWindow = Windowing['gate'];

/** Below this many rows a window is reported, not judged: a verdict from a handful of rows is noise. */
export const DEFAULT_MIN_WINDOW_ROWS = 100;

export interface WindowOptions {
  /** Absent: only a timestamp column or a reference period, no windows. */
  spec?: WindowSpec;
  timestamp?: string;
  minRows: number;
  /** The reference as a period of the log (UTC ms, end excluded). */
  referenceRange?: { start: number; end: number };
  gate: GateWindow;
}

/** The tables a windowed run compares, and what the windows are cut from. */
export interface WindowInputs {
  reference: ParsedTable;
  current: ParsedTable;
  ts: Timestamps | null;
  referenceRows: number | null;
}

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

function rowsWhere(n: number, keep: (row: number) => boolean): Int32Array {
  const rows: number[] = [];
  for (let r = 0; r < n; r++) if (keep(r)) rows.push(r);
  return Int32Array.from(rows);
}

/**
 * With --reference-range, the reference becomes that period of the reference file; when the reference and
 * current files are the same log, the period's rows leave the current data (they are what it is compared with).
 */
export function windowInputs(reference: ParsedTable, current: ParsedTable, sameFile: boolean, options: WindowOptions): WindowInputs {
  let ts = options.timestamp ? readTimestamps(current, options.timestamp) : null;
  const range = options.referenceRange;
  if (!range) return { reference, current, ts, referenceRows: null };
  if (!options.timestamp) throw new InputError({ file: reference.path }, '--reference-range needs --timestamp <column>');
  const refTs = sameFile && ts ? ts : readTimestamps(reference, options.timestamp);
  const inRange = (r: number) => refTs.ms[r] >= range.start && refTs.ms[r] < range.end;
  const refRows = rowsWhere(reference.rowCount, inRange);
  if (refRows.length === 0) {
    throw new InputError(
      { file: reference.path, column: options.timestamp },
      `no row has a timestamp in the --reference-range ${iso(range.start)} .. ${iso(range.end)}`,
    );
  }
  const periodReference = gatherRows(reference, refRows, 'reference range');
  if (!sameFile) return { reference: periodReference, current, ts, referenceRows: refRows.length };
  const curRows = rowsWhere(current.rowCount, (r) => !inRange(r));
  if (curRows.length === 0)
    throw new InputError({ file: current.path, column: options.timestamp }, 'every row is in the --reference-range: no current data is left');
  ts = { ...ts!, ms: Float64Array.from(curRows, (r) => ts!.ms[r]) };
  return {
    reference: periodReference,
    current: { ...gatherRows(current, curRows, 'after the reference range'), path: current.path },
    ts,
    referenceRows: refRows.length,
  };
}

function windowResult(index: number, slice: WindowSlice, body: WindowBody | null, reason: string | null): ReportWindow {
  const failed = (body?.tests?.tests ?? []).filter((t) => t.status === 'FAIL' || t.status === 'ERROR');
  return {
    index,
    start: iso(slice.start),
    end: iso(slice.end),
    rows: slice.rows,
    complete: slice.complete,
    judged: reason === null,
    not_judged_reason: reason,
    drift: body && {
      ...body.drift,
      columns: body.drift.columns.map((c) => WindowColumn.parse(c)),
    },
    quality: { rows: slice.rows, missing_share: body?.quality?.current.missing_values.share_of_missing_values ?? 0 },
    tests: body?.tests
      ? {
          total_tests: body.tests.summary.total_tests,
          failed_tests: body.tests.summary.failed_tests,
          by_status: body.tests.summary.by_status,
          failed: failed.map((t) => ({ id: t.id, column: t.column, status: t.status as 'FAIL' | 'ERROR', critical: t.critical })),
        }
      : null,
    errors: body?.errors ?? [],
    warnings: body?.warnings ?? [],
  };
}

/**
 * Every window's report. The rows are assigned to windows once; each window's rows are gathered into a
 * table of their own and analysed exactly as `mlobs report` analyses a file of those rows. The caller pins
 * the reference (pinColumns) so that its sorted values, profiles and row checks are computed once and reused.
 */
export async function analyzeWindows(
  inputs: WindowInputs,
  options: WindowOptions & { spec: WindowSpec },
  now: number,
  analysis: AnalyzeOptions,
  analyzeOne: (current: ParsedTable, window: WindowSlice, driftWorkers: boolean) => Promise<WindowBody>,
): Promise<{ windowing: Windowing; windows: ReportWindow[]; warnings: ReportWarning[] }> {
  const { reference, current, ts } = inputs;
  const split = splitWindows(options.spec, current.rowCount, ts, now);
  const label = (slice: WindowSlice) =>
    slice.start === null ? `rows ${slice.offset + 1}..${slice.offset + slice.rows}` : `${iso(slice.start)}..${iso(slice.end)}`;
  const busy = split.windows.map((slice, index) => ({ slice, index })).filter(({ slice }) => slice.rows > 0);
  const table = (k: number) => {
    const { slice } = busy[k];
    return gatherRows(current, split.order.subarray(slice.offset, slice.offset + slice.rows), label(slice));
  };
  // A window whose rows cannot be analysed (a declared numerical column with no number in it, say) is
  // reported as such; the other windows and the whole report stand.
  const here = async (cur: ParsedTable, k: number, driftWorkers: boolean): Promise<WindowOutcome> => {
    try {
      return { body: await analyzeOne(cur, busy[k].slice, driftWorkers) };
    } catch (e) {
      if (!(e instanceof MlobsError)) throw e;
      return { reason: e.message };
    }
  };
  const outcomes = await runWindows(busy.length, table, reference, analysis, here);
  const byIndex = new Map(busy.map(({ index }, k) => [index, outcomes[k]]));
  const windows = split.windows.map((slice, index) => {
    const outcome = byIndex.get(index);
    if (!outcome) return windowResult(index, slice, null, 'no rows');
    if ('reason' in outcome) return windowResult(index, slice, null, outcome.reason);
    const reason = slice.rows < options.minRows ? `only ${slice.rows} rows (fewer than --min-window-rows ${options.minRows})` : null;
    return windowResult(index, slice, outcome.body, reason);
  });
  const warnings: ReportWarning[] = [];
  if (ts && options.spec.kind === 'calendar' && ts.missing + ts.unparseable > 0) {
    const tokens = ts.tokens.map((t) => JSON.stringify(t)).join(', ');
    const bad = ts.unparseable ? `${ts.unparseable} that are not ISO 8601 dates or date-times${tokens ? ` (${tokens})` : ''}` : '';
    const parts = [ts.missing ? `${ts.missing} missing` : '', bad].filter(Boolean).join(' and ');
    warnings.push({
      code: 'bad_timestamps',
      column: ts.column,
      message: `column "${ts.column}" has ${parts} timestamps; those rows are in the whole report but in no window`,
    });
  }
  const empty = windows.filter((w) => w.rows === 0);
  if (empty.length) {
    warnings.push({
      code: 'empty_windows',
      message: `${empty.length} of ${windows.length} windows have no rows (first: ${empty[0].start}); the log has a gap`,
    });
  }
  if (windows.length === 0) warnings.push({ code: 'no_windows', message: 'no current row has a timestamp, so there are no windows' });
  const latest = [...windows].reverse().find((w) => w.complete && w.judged);
  const range = options.referenceRange;
  return {
    windowing: {
      timestamp: options.timestamp ?? null,
      window: options.spec.text,
      min_rows: options.minRows,
      gate: options.gate,
      reference_range: range && inputs.referenceRows !== null ? { start: iso(range.start)!, end: iso(range.end)!, rows: inputs.referenceRows } : null,
      rows_without_time: { missing: ts?.missing ?? 0, unparseable: ts?.unparseable ?? 0 },
      latest_complete: latest?.index ?? null,
    },
    windows,
    warnings,
  };
}

/**
 * The windows `--fail-on` judges under `--gate-window`: the latest complete judged window, or every judged
 * one (any / all). Null when the run has no such window: the whole report is judged instead.
 */
export function gateWindows(report: Pick<Report, 'windows' | 'windowing'>): ReportWindow[] | null {
  const judged = (report.windows ?? []).filter((w) => w.judged);
  if (!report.windowing || judged.length === 0) return null;
  if (report.windowing.gate !== 'latest') return judged;
  const latest = report.windowing.latest_complete;
  return latest === null ? null : [report.windows![latest]];
}
