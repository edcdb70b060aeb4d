import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOG } from './helpers/activities_log.js';
import { readReport, runCli, tempDir } from './helpers/cli.js';
import { COMPOSE, installed, tool } from './helpers/prom.js';
import { freePort, logs, running, SECOND, start, stop, waitFor } from './helpers/servers.js';

/**
 * `--format openmetrics` backfills a real Prometheus: promtool turns the file into TSDB blocks, a Prometheus
 * started on 127.0.0.1 over them answers the shipped Grafana dashboard's queries with one point per window.
 */
const BINARIES = ['promtool', 'prometheus'];
const missing = BINARIES.filter((b) => !installed(b));
if (missing.length) console.warn(`backfill test skipped: ${missing.join(', ')} not installed (apt-get install prometheus)`);

const WEEK = 7 * 86_400;

describe.skipIf(missing.length > 0)('Prometheus history from one windowed run (promtool tsdb create-blocks-from openmetrics)', () => {
  const dir = tempDir('mlobs-backfill-');
  const out = join(dir, 'out');
  let prometheus = '';
  let report: any;

  const rangeQuery = async (expr: string, startS: number, endS: number) => {
    const url = `${prometheus}/api/v1/query_range?query=${encodeURIComponent(expr)}&start=${startS}&end=${endS}&step=${WEEK}`;
    const res = await (await fetch(url)).json();
    if (res.status !== 'success') throw new Error(`${expr}: ${res.error}`);
    return res.data.result as { metric: Record<string, string>; values: [number, string][] }[];
  };

  beforeAll(async () => {
    const res = await runCli([
      'report',
      '-c',
      LOG,
      '--timestamp',
      'Date',
      '--reference-range',
      '2020-08-01..2021-08-01',
      '--window',
      '7d',
      '--min-window-rows',
      '5',
      '--ignore',
      'Activity ID',
      '--target',
      'Quality',
      '--monitor',
      'backfill',
      '-f',
      'json,openmetrics',
      '-o',
      out,
      '--quiet',
    ]);
    expect(res.stderr).toBe('');
    report = readReport(out);
    const blocks = tool('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', join(out, 'metrics.om'), join(dir, 'data')]);
    expect(blocks.status, blocks.output).toBe(0);
    const port = await freePort();
    const config = join(dir, 'prometheus.yml');
    writeFileSync(config, 'global:\n  scrape_interval: 1h\nscrape_configs: []\n');
    start('prometheus', 'prometheus', [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      // The history is years old: the default 15 days of retention would delete it on load.
      '--storage.tsdb.retention.time=100y',
      `--web.listen-address=127.0.0.1:${port}`,
    ]);
    prometheus = `http://127.0.0.1:${port}`;
    await waitFor('Prometheus to be ready', 60, async () => (await fetch(`${prometheus}/-/ready`)).ok);
  }, 120 * SECOND);

  afterAll(async () => {
    await Promise.all(running.map(stop));
  });

  it("holds one point per window, at the window start, with the window's numbers", async () => {
    const judged = report.windows.filter((w: any) => w.judged);
    expect(judged.length).toBeGreaterThan(30);
    const first = Date.parse(report.windows[0].start) / 1000;
    const last = Date.parse(report.windows.at(-1).start) / 1000;
    const [ratio] = await rangeQuery('mlobs_drifted_columns_ratio{monitor="backfill"}', first, last);
    expect(
      ratio.values.map(([t, v]) => [t, Number(v)]),
      logs(),
    ).toEqual(judged.map((w: any) => [Date.parse(w.start) / 1000, w.drift.share_of_drifted_columns]));
    const rows = await rangeQuery('mlobs_rows{monitor="backfill", dataset="current"}', first, last);
    expect(rows[0].values.map(([, v]) => Number(v))).toEqual(report.windows.filter((w: any) => w.rows > 0).map((w: any) => w.rows));
  });

  it('answers every dashboard query about what a window measures, one point per judged window', async () => {
    const dashboard = JSON.parse(readFileSync(join(COMPOSE, 'grafana', 'dashboards', 'mlobs.json'), 'utf8'));
    const exprs: string[] = dashboard.panels.flatMap((p: any) => p.targets.map((t: any) => t.expr));
    const om = readFileSync(join(out, 'metrics.om'), 'utf8');
    // A panel for series this log has none of (distance scores: its tests are all p-value tests) is left out.
    const backfilled = exprs.filter(
      (e) =>
        [...e.matchAll(/mlobs_[a-z_]+/g)].every(([name]) => om.includes(`# TYPE ${name} gauge`)) &&
        [...e.matchAll(/(\w+)="([^"$]+)"/g)].every(([matcher]) => om.includes(matcher)),
    );
    // Run status (last success, duration) belongs to live runs; everything a window measures is there.
    expect(backfilled.length).toBeGreaterThanOrEqual(10);
    const first = Date.parse(report.windows[0].start) / 1000;
    const last = Date.parse(report.windows.at(-1).start) / 1000;
    const judged = report.windows.filter((w: any) => w.judged).length;
    for (const expr of backfilled) {
      const result = await rangeQuery(expr.replaceAll('$monitor', 'backfill'), first, last);
      expect(result.length, expr).toBeGreaterThan(0);
      const points = Math.max(...result.map((s) => s.values.length));
      if (!/mlobs_rows|mlobs_test_failed/.test(expr)) expect(points, expr).toBe(judged);
    }
  });
});
