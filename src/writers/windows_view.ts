/**
 * The HTML report's "Drift over time" section (templates/html/partials/windows.hbs): its view model and its
 * charts, drawn here as inline SVG so they need no script and show in print and without JavaScript.
 */
import { formatCount, formatNumber, formatPercent, formatRule, formatScore } from '../report/format.js';
import { xmlEscape } from './xml.js';
import { scoreFromJson, type Report, type ReportWindow } from '../report/model.js';
import { driftSentence, windowLabel } from '../windows/view.js';

type WindowColumn = NonNullable<ReportWindow['drift']>['columns'][number];

interface Series {
  /** One value per window; null: not judged or not scored there. */
  values: (number | null)[];
  drifted: boolean[];
  threshold: number;
  /** p-values read on a log axis, where 0.05 and 1e-6 are both visible. */
  log: boolean;
}

/**
 * A line per window with the threshold as a dashed line. Drifted windows get a filled square, the others a
 * hollow circle, so the verdict reads by shape as well as by colour.
 */
function lineChart(s: Series, labels: string[], width: number, height: number, title: string): string {
  const pad = { l: 52, r: 8, t: 8, b: 18 };
  const y = (v: number) => (s.log ? Math.log10(Math.max(v, 1e-12)) : v);
  const finite = [...s.values.filter((v): v is number => v !== null && Number.isFinite(v)), s.threshold].map(y);
  let lo = Math.min(...finite, s.log ? y(s.threshold) : 0);
  let hi = Math.max(...finite);
  if (hi === lo) hi = lo + 1;
  if (!s.log) lo = Math.min(lo, 0);
  const px = (i: number) => pad.l + (labels.length === 1 ? 0.5 : i / (labels.length - 1)) * (width - pad.l - pad.r);
  const py = (v: number) => pad.t + (1 - (y(v) - lo) / (hi - lo)) * (height - pad.t - pad.b);
  const parts: string[] = [];
  let path = '';
  s.values.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) {
      path += ' ';
      return;
    }
    path += `${path.endsWith(' ') || path === '' ? 'M' : 'L'}${px(i).toFixed(1)},${py(v).toFixed(1)}`;
  });
  parts.push(`<path d="${path.replace(/ /g, '')}" class="wline" fill="none"/>`);
  s.values.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) return;
    const [cx, cy] = [px(i).toFixed(1), py(v).toFixed(1)];
    parts.push(
      s.drifted[i]
        ? `<rect x="${Number(cx) - 3.5}" y="${Number(cy) - 3.5}" width="7" height="7" class="wdrift"><title>${xmlEscape(labels[i])}: ${formatNumber(v)} (drift)</title></rect>`
        : `<circle cx="${cx}" cy="${cy}" r="3.5" class="wok"><title>${xmlEscape(labels[i])}: ${formatNumber(v)}</title></circle>`,
    );
  });
  const ty = py(s.threshold).toFixed(1);
  parts.push(`<line x1="${pad.l}" x2="${width - pad.r}" y1="${ty}" y2="${ty}" class="wthreshold" stroke-dasharray="5 4"/>`);
  const tick = (v: number) => `<text x="${pad.l - 4}" y="${(py(v) + 4).toFixed(1)}" text-anchor="end">${xmlEscape(formatNumber(v))}</text>`;
  parts.push(tick(s.log ? 10 ** hi : hi), tick(s.log ? 10 ** lo : lo));
  parts.push(`<text x="${pad.l}" y="${height - 4}">${xmlEscape(labels[0])}</text>`);
  if (labels.length > 1) parts.push(`<text x="${width - pad.r}" y="${height - 4}" text-anchor="end">${xmlEscape(labels[labels.length - 1])}</text>`);
  return `<svg viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${xmlEscape(title)}" class="wchart">${parts.join('')}</svg>`;
}

const STATE = {
  drift: { symbol: '▲', text: 'drifted' },
  ok: { symbol: '·', text: 'not drifted' },
  unjudged: { symbol: '○', text: 'not judged' },
  none: { symbol: '–', text: 'not scored' },
} as const;

function windowTable(w: ReportWindow) {
  return (w.drift?.columns ?? []).map((c: WindowColumn) => ({
    column: c.column,
    stattest: c.stattest,
    score: formatScore(c),
    rule: formatRule(c),
    n: `${c.n_reference} / ${c.n_current}`,
    drift: c.drift_detected,
  }));
}

/** The section, or false when the report has no windows. */
export function windowsSection(report: Report) {
  const { windows, windowing } = report;
  if (!windows?.length || !windowing) return false;
  const labels = windows.map((w) => windowLabel(w, windowing));
  const judged = (w: ReportWindow) => w.judged && w.drift !== null;
  const share = lineChart(
    {
      values: windows.map((w) => (judged(w) ? w.drift!.share_of_drifted_columns : null)),
      drifted: windows.map((w) => judged(w) && w.drift!.dataset_drift),
      threshold: report.drift.drift_share,
      log: false,
    },
    labels,
    720,
    180,
    'Share of drifted columns per window, with the dataset-drift threshold',
  );
  const names = [...new Set(windows.flatMap((w) => w.drift?.columns.map((c) => c.column) ?? []))];
  const cell = (w: ReportWindow, name: string) => {
    const c = w.drift?.columns.find((x) => x.column === name);
    const state = !w.judged ? 'unjudged' : !c ? 'none' : c.drift_detected ? 'drift' : 'ok';
    const detail = c ? `, ${c.stattest} ${formatScore(c)}` : '';
    return { state, ...STATE[state], title: `${name} in ${windowLabel(w, windowing)}: ${STATE[state].text}${w.judged ? detail : ''}` };
  };
  const drifting = names.filter((name) => windows.some((w) => judged(w) && w.drift!.columns.some((c) => c.column === name && c.drift_detected)));
  const multiples = drifting.map((name) => {
    const cols = windows.map((w) => (judged(w) ? w.drift!.columns.find((c) => c.column === name) : undefined));
    const any = cols.find((c) => c)!;
    return {
      column: name,
      caption: `${any.stattest}, drift if score ${formatRule(any)}`,
      svg: lineChart(
        {
          values: cols.map((c) => (c ? scoreFromJson(c.score) : null)),
          drifted: cols.map((c) => !!c?.drift_detected),
          threshold: any.threshold,
          log: any.score_kind === 'p_value',
        },
        labels,
        300,
        120,
        `${name}: drift score per window`,
      ),
    };
  });
  return {
    id: 'windows',
    title: 'Drift over time',
    partial: 'windows',
    sentence: driftSentence(report),
    window: windowing.window,
    timestamp: windowing.timestamp,
    threshold: formatPercent(report.drift.drift_share),
    shareChart: share,
    heat: {
      windows: windows.map((w, i) => ({ index: w.index, label: labels[i] })),
      columns: names.map((name) => ({ name, cells: windows.map((w) => cell(w, name)) })),
    },
    multiples,
    details: windows.map((w, i) => ({
      index: w.index,
      label: labels[i],
      rows: formatCount(w.rows),
      status: !w.judged
        ? `not judged: ${w.not_judged_reason}`
        : `${w.drift!.number_of_drifted_columns} of ${w.drift!.number_of_columns} columns drifted (${formatPercent(w.drift!.share_of_drifted_columns)})${w.drift!.dataset_drift ? ', dataset drift' : ''}${w.tests ? `; ${w.tests.failed_tests} of ${w.tests.total_tests} tests failed` : ''}`,
      columns: windowTable(w),
    })),
  };
}
