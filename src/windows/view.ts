/** How windows read in every output (terminal, Slack, HTML, PNG), so they name a window the same way. */
import type { Report, ReportWindow, StatusCode, Windowing } from '../report/model.js';
import { statusCode, testCounts } from '../report/status.js';

/** The last this many judged windows are "recent" for the columns drifting lately. */
export const RECENT_WINDOWS = 3;

/** A window's name: its start in as much detail as the window size needs, or its row range. */
export function windowLabel(w: ReportWindow, windowing: Windowing): string {
  if (windowing.window.endsWith('rows')) {
    const n = Number.parseInt(windowing.window, 10);
    return `rows ${w.index * n + 1}-${w.index * n + w.rows}`;
  }
  const start = w.start ?? '';
  if (windowing.window.endsWith('mo')) return start.slice(0, 7);
  if (windowing.window.endsWith('h')) return `${start.slice(0, 10)} ${start.slice(11, 16)}`;
  return start.slice(0, 10);
}

export interface DriftStory {
  /** The first window of the drift streak that reaches the latest judged window, if that window drifts. */
  began: ReportWindow | null;
  /** How many judged windows before the latest one the streak began (0: in the latest). */
  windowsAgo: number;
  /** Columns that drifted in the recent judged windows, with in how many of them, most first. */
  recent: { column: string; windows: number }[];
  recentCount: number;
  latest: ReportWindow | null;
}

/** When dataset drift started and which columns drift lately, from the judged windows. */
export function driftStory(report: Pick<Report, 'windows'>): DriftStory {
  const judged = (report.windows ?? []).filter((w) => w.judged && w.drift);
  const latest = judged.at(-1) ?? null;
  let first = judged.length;
  while (first > 0 && judged[first - 1].drift!.dataset_drift) first--;
  const began = first < judged.length ? judged[first] : null;
  const recentWindows = judged.slice(-RECENT_WINDOWS);
  const counts = new Map<string, number>();
  for (const w of recentWindows) for (const c of w.drift!.columns) if (c.drift_detected) counts.set(c.column, (counts.get(c.column) ?? 0) + 1);
  const recent = [...counts].map(([column, windows]) => ({ column, windows })).sort((a, b) => b.windows - a.windows || (a.column < b.column ? -1 : 1));
  return { began, windowsAgo: judged.length - 1 - first, recent, recentCount: recentWindows.length, latest };
}

/** One sentence for people: "drift began in window X (N windows ago); columns drifting in the last K windows: ...". */
export function driftSentence(report: Report): string | null {
  if (!report.windows?.length || !report.windowing) return null;
  const story = driftStory(report);
  if (!story.latest) return `none of the ${report.windows.length} windows could be judged`;
  const parts: string[] = [];
  if (story.began) {
    const ago = story.windowsAgo === 0 ? 'the latest window' : `${story.windowsAgo} window${story.windowsAgo > 1 ? 's' : ''} ago`;
    parts.push(`drift began in window ${windowLabel(story.began, report.windowing)} (${ago})`);
  } else parts.push(`no dataset drift in the latest window (${windowLabel(story.latest, report.windowing)})`);
  const cols = story.recent.map((c) => `${c.column} (${c.windows}/${story.recentCount})`);
  parts.push(`columns drifting in the last ${story.recentCount} window${story.recentCount > 1 ? 's' : ''}: ${cols.length ? cols.join(', ') : 'none'}`);
  return parts.join('; ');
}

/** A judged window's status by the run's rule (report/status.ts); null for a window that was not judged. */
export function windowStatus(w: ReportWindow): StatusCode | null {
  if (!w.judged || !w.drift) return null;
  return statusCode({ column_errors: w.errors.length, ...testCounts(w.tests?.failed ?? []), dataset_drift: w.drift.dataset_drift });
}
