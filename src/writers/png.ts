import { join } from 'node:path';
import type { Canvas } from '@napi-rs/canvas';
import type { ChartConfiguration, Plugin } from 'chart.js';
import { formatNumber, formatScore, mostDriftedFirst, RULE_SYMBOL, severity } from '../report/format.js';
import { OutputError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic.js';
import { scoreFromJson, type ColumnDrift, type Report } from '../report/model.js';
import { distributionSeries } from './drift_view.js';

export const SCORES_PNG = 'drift-scores.png';
export const DISTRIBUTIONS_PNG = 'drift-distributions.png';

/** Most columns the score chart lists, and most distributions drawn: enough for a chat message, not a wall. */
const MAX_SCORE_BARS = 25;
const MAX_DISTRIBUTIONS = 6;
/**
 * Bars are orders of magnitude past the threshold (log10 of threshold/p-value or distance/threshold), on a
 * linear axis, so p-values of 1e-20 and 1e-56 get different bars; beyond this many orders a bar is cut and
 * marked, so one underflowed p-value does not flatten the rest.
 */
const MAX_ORDERS = 60;

const COLORS = {
  text: '#1f2328',
  muted: '#59636e',
  grid: 'rgba(31, 35, 40, 0.12)',
  drift: '#b3261e',
  ok: '#8c959f',
  ref: 'rgba(0, 114, 178, 0.35)',
  refLine: '#0072b2',
  cur: 'rgba(213, 94, 0, 0.85)',
  curLine: '#a84900',
};
const FONT = "'Liberation Sans', 'DejaVu Sans', Arial, sans-serif";

type CanvasModule = typeof import('@napi-rs/canvas');
let canvasModule: Promise<CanvasModule> | undefined;

/**
 * The native canvas module loads only when PNGs are asked for; a build without it (the standalone binary)
 * still writes every other format, and says in one line why it cannot write this one.
 */
export function loadCanvas(): Promise<CanvasModule> {
  canvasModule ??= import('@napi-rs/canvas').catch((e: Error) => {
    canvasModule = undefined;
    const reason = String(e?.message ?? e).split('\n')[0];
    throw new OutputError(`--format png needs the native module @napi-rs/canvas, which failed to load (${reason}); use --format html or json`);
  });
  return canvasModule;
}

const whiteBackground: Plugin = {
  id: 'whiteBackground',
  beforeDraw: (chart) => {
    const { ctx, width, height } = chart;
    ctx.save();
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, width, height);
    ctx.restore();
  },
};

/** Draws one chart into a fresh canvas; without a DOM, Chart.js falls back to its basic platform and draws synchronously. */
async function drawChart(config: ChartConfiguration, width: number, height: number): Promise<Canvas> {
  const [{ createCanvas }, { Chart }] = await Promise.all([loadCanvas(), import('chart.js/auto')]);
  Chart.defaults.font.family = FONT;
  Chart.defaults.color = COLORS.muted;
  const canvas = createCanvas(width, height);
  const chart = new Chart(canvas as never, {
    ...config,
    options: { ...config.options, responsive: false, animation: false, devicePixelRatio: 1 },
    plugins: [whiteBackground, ...(config.plugins ?? [])],
  });
  // destroy() clears the canvas it drew on, and keeping the chart would keep it in Chart.js's registry.
  const picture = createCanvas(width, height);
  picture.getContext('2d').drawImage(canvas, 0, 0);
  chart.destroy();
  return picture;
}

export interface ScoreBar {
  column: ColumnDrift;
  /** Orders of magnitude past (positive) or short of (negative) the threshold, cut to ±MAX_ORDERS. */
  value: number;
  clipped: boolean;
}

/** The score chart's bars: the most drifted columns first, each on the common "orders past threshold" scale. */
export function scoreBars(report: Report): ScoreBar[] {
  return report.drift.columns
    .filter((c) => !Number.isNaN(scoreFromJson(c.score)))
    .sort(mostDriftedFirst)
    .slice(0, MAX_SCORE_BARS)
    .map((column) => {
      const orders = severity(column) / Math.LN10;
      return { column, value: Math.max(-MAX_ORDERS, Math.min(MAX_ORDERS, orders)), clipped: Math.abs(orders) > MAX_ORDERS || formatScore(column).startsWith('<') };
    });
}

const scoreText = (c: ColumnDrift) =>
  `${c.stattest} ${formatScore(c)} ${c.drift_detected ? RULE_SYMBOL[c.drift_rule] : 'vs'} ${formatNumber(c.threshold)}`;

function scoresChart(report: Report): { config: ChartConfiguration; height: number } {
  const bars = scoreBars(report);
  const shown = bars.map((b) => b.column);
  const d = report.drift;
  const thresholdLine: Plugin = {
    id: 'thresholdLine',
    afterDatasetsDraw: (chart) => {
      const { ctx, chartArea, scales } = chart;
      const x = scales.x.getPixelForValue(0);
      ctx.save();
      ctx.strokeStyle = COLORS.text;
      ctx.setLineDash([6, 4]);
      ctx.beginPath();
      ctx.moveTo(x, chartArea.top);
      ctx.lineTo(x, chartArea.bottom);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = COLORS.text;
      ctx.font = `12px ${FONT}`;
      ctx.textAlign = 'center';
      ctx.fillText('threshold', x, chartArea.top - 6);
      // Each bar says its score and threshold in words, so the chart does not depend on its colours.
      ctx.textAlign = 'left';
      ctx.textBaseline = 'middle';
      ctx.strokeStyle = '#ffffff';
      ctx.lineWidth = 4;
      chart.getDatasetMeta(0).data.forEach((bar, i) => {
        // A cut bar ends in a zigzag and its label says so: the bar is not the score's true length.
        const end = Math.max(bar.x, x);
        if (bars[i].clipped) {
          ctx.save();
          ctx.strokeStyle = COLORS.text;
          ctx.lineWidth = 2;
          ctx.beginPath();
          ctx.moveTo(end - 4, bar.y - 8);
          ctx.lineTo(end + 2, bar.y - 3);
          ctx.lineTo(end - 4, bar.y + 3);
          ctx.lineTo(end + 2, bar.y + 8);
          ctx.stroke();
          ctx.restore();
        }
        const text = `${scoreText(shown[i])}${bars[i].clipped ? ' (bar cut)' : ''}`;
        // A white halo keeps the label legible where it crosses the threshold line.
        ctx.strokeText(text, end + 6, bar.y);
        ctx.fillStyle = shown[i].drift_detected ? COLORS.drift : COLORS.muted;
        ctx.fillText(text, end + 6, bar.y);
      });
      ctx.restore();
    },
  };
  const config: ChartConfiguration = {
    type: 'bar',
    data: {
      // p-value tests solid, distance tests outlined and named so: their scores mean different things.
      labels: shown.map((c) => `${c.drift_detected ? '▲ ' : ''}${c.column} (${c.score_kind === 'p_value' ? 'p' : 'dist.'})`),
      datasets: [{
        data: bars.map((b) => b.value),
        backgroundColor: shown.map((c) => (c.score_kind === 'distance' ? '#ffffff' : c.drift_detected ? COLORS.drift : COLORS.ok)),
        borderColor: shown.map((c) => (c.drift_detected ? COLORS.drift : COLORS.ok)),
        borderWidth: shown.map((c) => (c.score_kind === 'distance' ? 3 : 0)),
        barPercentage: 0.8,
        categoryPercentage: 1,
      }],
    },
    options: {
      indexAxis: 'y',
      layout: { padding: { top: 8, right: 16, left: 8 } },
      scales: {
        // The decade past the longest bar leaves room for its label.
        x: {
          type: 'linear',
          min: Math.min(-1, Math.floor(Math.min(...bars.map((b) => b.value)))),
          // Room past the longest bar for its label.
          max: Math.max(2, ...bars.map((b) => b.value)) * 1.6,
          grid: { color: COLORS.grid },
          title: { display: true, text: 'orders of magnitude past the threshold (log10 of threshold/p-value or distance/threshold; past 0 = drift)' },
          ticks: { maxRotation: 0, callback: (v) => (Number.isInteger(Number(v)) ? formatNumber(Number(v)) : '') },
        },
        y: { grid: { display: false }, ticks: { color: COLORS.text, font: { size: 13 } } },
      },
      plugins: {
        legend: { display: false },
        title: {
          display: true,
          color: COLORS.text,
          font: { size: 18, weight: 'bold' },
          // Room above the chart for the threshold line's label.
          padding: { top: 0, bottom: 4 },
          text: `${d.dataset_drift ? 'Dataset drift detected' : 'No dataset drift'}: ${d.number_of_drifted_columns} of ${d.number_of_columns} columns drifted (▲)`,
        },
        subtitle: {
          display: true,
          padding: { bottom: 22 },
          text: `${shown.length < d.columns.length ? `the top ${shown.length} of ${d.columns.length} columns, ` : ''}most drifted first; solid bars: p-value tests, outlined: distance tests`,
        },
      },
    },
    plugins: [thresholdLine],
  };
  return { config, height: 110 + 26 * shown.length };
}

function distributionChart(c: ColumnDrift): ChartConfiguration {
  const s = distributionSeries(c.distribution);
  const wide = c.distribution.kind === 'histogram' ? 1 : 0.9;
  return {
    type: 'bar',
    data: {
      labels: s.labels,
      datasets: [
        { label: 'current', data: s.current, backgroundColor: COLORS.cur, borderColor: COLORS.curLine, borderWidth: 1, barPercentage: 0.45, categoryPercentage: 1, grouped: false, order: 1 },
        { label: 'reference', data: s.reference, backgroundColor: COLORS.ref, borderColor: COLORS.refLine, borderWidth: 1, barPercentage: wide, categoryPercentage: wide, grouped: false, order: 2 },
      ],
    },
    options: {
      layout: { padding: 12 },
      scales: {
        x: { grid: { display: false }, ticks: { maxRotation: 45, autoSkip: true } },
        y: { beginAtZero: true, suggestedMax: s.axisMax, grid: { color: COLORS.grid }, ticks: { callback: (v) => `${v}%` } },
      },
      plugins: {
        legend: { reverse: true, labels: { boxWidth: 14 } },
        title: { display: true, color: c.drift_detected ? COLORS.drift : COLORS.text, font: { size: 15, weight: 'bold' }, text: `${c.drift_detected ? '▲ DRIFT' : 'no drift'}: ${c.column}` },
        subtitle: { display: true, text: `${scoreText(c)} · share of ${c.distribution.kind === 'histogram' ? 'values per bin' : 'rows per category'}` },
      },
    },
  };
}

const PANEL = { width: 600, height: 320, columns: 2 };

async function distributionsImage(report: Report): Promise<Canvas> {
  const { createCanvas } = await loadCanvas();
  const shown = [...report.drift.columns].sort(mostDriftedFirst).slice(0, MAX_DISTRIBUTIONS);
  const panels = await Promise.all(shown.map((c) => drawChart(distributionChart(c), PANEL.width, PANEL.height)));
  const header = 48;
  const across = Math.min(PANEL.columns, Math.max(1, panels.length));
  const canvas = createCanvas(across * PANEL.width, header + Math.ceil(panels.length / across) * PANEL.height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = COLORS.text;
  ctx.font = `bold 18px ${FONT}`;
  ctx.textBaseline = 'middle';
  const drifted = shown.filter((c) => c.drift_detected).length;
  const title = panels.length === 0
    ? 'No column could be compared'
    : drifted > 0 ? `Reference vs current: the ${drifted === 1 ? 'drifted column' : `${drifted} most drifted columns`}${drifted < shown.length ? ' and the nearest to drifting' : ''}` : 'Reference vs current: no column drifted; these came nearest';
  ctx.fillText(title, 16, header / 2);
  panels.forEach((p, i) => ctx.drawImage(p, (i % across) * PANEL.width, header + Math.floor(i / across) * PANEL.height));
  return canvas;
}

/** Chart images for chat messages and tickets: drift scores against thresholds, and the top columns' distributions. */
export async function writePng(report: Report, dir: string): Promise<string[]> {
  const { config, height } = scoresChart(report);
  const images: [string, Canvas][] = [
    [SCORES_PNG, await drawChart(config, 1000, height)],
    [DISTRIBUTIONS_PNG, await distributionsImage(report)],
  ];
  const written: string[] = [];
  for (const [name, canvas] of images) {
    const path = join(dir, name);
    await writeFileAtomic(path, await canvas.encode('png'));
    written.push(path);
  }
  return written;
}
