import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify } from 'yaml';
import { FIXTURES, runCli, tempDir } from './helpers/cli.js';
import { FakeSlack, WEBHOOK_PATH } from './helpers/fake_slack.js';
import { COMPOSE, expectValidTextfile, installed, sampleValue } from './helpers/prom.js';
import { freePort, logs, running, SECOND, start, stop, waitFor } from './helpers/servers.js';

/**
 * The compose stack's monitoring half, run from the Debian binaries on 127.0.0.1 with configs generated from
 * deploy/compose (only addresses, paths and intervals changed): mlobs writes textfiles, node_exporter serves
 * them, Prometheus scrapes and evaluates the shipped rules, Alertmanager sends to a fake Slack webhook.
 */
const BINARIES = ['prometheus-node-exporter', 'prometheus', 'prometheus-alertmanager'];
const missing = BINARIES.filter((b) => !installed(b));
if (missing.length) {
  console.warn(`monitoring stack test skipped: ${missing.join(', ')} not installed (apt-get install prometheus prometheus-node-exporter prometheus-alertmanager)`);
}

/**
 * A monitor with a prediction column, added to the shipped ones (whose activities data has none), so the
 * model-quality families exist: its model is clearly worse on the current data, which fires MlobsModelQualityDrop.
 */
const BIRTHWT = join('golden', 'datasets', 'birthwt_maternal_age_split_regression');
const MODEL_MONITOR = {
  name: 'birthwt',
  reference: join(FIXTURES, BIRTHWT, 'reference.csv'),
  current: join(FIXTURES, BIRTHWT, 'current.csv'),
  columns: { target: 'bwt', prediction: ['prediction'], task: 'regression' },
  // One distance-scored column, so the dashboard's distance panel has a series to prove its query on.
  drift: { per_column_stattest: { lwt: 'wasserstein' } },
};

const readYaml = (path: string) => parseYaml(readFileSync(path, 'utf8'));

const ok = async (url: string) => (await fetch(url)).ok;

interface SlackMessage {
  channel?: string;
  attachments: { title: string; title_link: string; text: string; color: string }[];
}

describe.skipIf(missing.length > 0)('the monitoring stack end to end: mlobs → node_exporter → Prometheus → Alertmanager → Slack', () => {
  const dir = tempDir('mlobs-stack-');
  const textfiles = join(dir, 'textfile');
  const mlobsConfig = join(dir, 'mlobs.yaml');
  let prometheus = '';
  let alertmanager = '';
  const slack = new FakeSlack();

  const query = async (expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> => {
    const res = await (await fetch(`${prometheus}/api/v1/query?query=${encodeURIComponent(expr)}`)).json();
    if (res.status !== 'success') throw new Error(`${expr}: ${res.error}`);
    return res.data.result;
  };

  /** Runs mlobs like the compose service does; checks every textfile and returns the activities one. */
  async function runMlobs(...extra: string[]): Promise<string> {
    const res = await runCli(['report', '--config', mlobsConfig, '--quiet', ...extra]);
    expect(res.code, res.stderr).toBe(0);
    expect(readdirSync(textfiles).sort()).toEqual(['mlobs_activities.prom', 'mlobs_birthwt.prom', 'mlobs_requests.prom']);
    for (const file of readdirSync(textfiles)) expectValidTextfile(join(textfiles, file));
    return readFileSync(join(textfiles, 'mlobs_activities.prom'), 'utf8');
  }

  /** Waits until Prometheus has scraped the run that wrote `text`, the activities textfile. */
  async function scraped(text: string): Promise<void> {
    const written = sampleValue(text, 'mlobs_last_run_timestamp_seconds')!;
    await waitFor('Prometheus to scrape the new textfiles', 20, async () => {
      const [sample] = await query('mlobs_last_run_timestamp_seconds{monitor="activities"}');
      return sample && Number(sample.value[1]) === written;
    });
  }

  /** Alertmanager's posts to the incoming webhook, as Slack would receive them. */
  const slackMessage = (title: string) =>
    waitFor(`a Slack message titled "${title}"`, 30, async () =>
      slack.calls(WEBHOOK_PATH).map((r) => r.body as unknown as SlackMessage).find((m) => m.attachments?.[0]?.title === title),
    );

  beforeAll(async () => {
    mkdirSync(textfiles);
    await slack.start();
    const [nodePort, promPort, amPort] = [await freePort(), await freePort(), await freePort()];
    const compose = readYaml(join(COMPOSE, 'docker-compose.yml'));

    // mlobs: the compose service's monitors, reading the fixtures it mounts at /data.
    const mlobs = readYaml(join(COMPOSE, 'mlobs', 'mlobs.yaml'));
    mlobs.output.dir = join(dir, 'reports');
    mlobs.prometheus.textfile_dir = textfiles;
    for (const m of mlobs.monitors) for (const side of ['reference', 'current']) m[side] = m[side].replace(/^\/data\//, `${FIXTURES}/activities/`);
    mlobs.monitors.push(MODEL_MONITOR);
    writeFileSync(mlobsConfig, stringify(mlobs));

    // Alertmanager: the shipped route, receiver and templates; the webhook URL file points at the fake Slack.
    const am = readYaml(join(COMPOSE, 'alertmanager', 'alertmanager.yml'));
    Object.assign(am.route, { group_wait: '1s', group_interval: '1s', repeat_interval: '1h' });
    writeFileSync(join(dir, 'slack_webhook_url'), `${slack.webhookUrl}\n`);
    am.receivers[0].slack_configs[0].api_url_file = join(dir, 'slack_webhook_url');
    am.templates = [join(COMPOSE, 'alertmanager', 'templates', '*.tmpl')];
    writeFileSync(join(dir, 'alertmanager.yml'), stringify(am));

    // Prometheus: the shipped scrape jobs and rules, with compose host names replaced by local ports.
    const hosts: Record<string, string> = {
      'node-exporter:9100': `127.0.0.1:${nodePort}`,
      'alertmanager:9093': `127.0.0.1:${amPort}`,
      'localhost:9090': `127.0.0.1:${promPort}`,
    };
    const local = (targets: string[]) => targets.map((t) => hosts[t] ?? expect.fail(`no local address for ${t}`));
    const prom = readYaml(join(COMPOSE, 'prometheus', 'prometheus.yml'));
    prom.global = { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' };
    prom.rule_files = [join(COMPOSE, 'prometheus', 'rules', '*.yml')];
    for (const group of [...prom.alerting.alertmanagers, ...prom.scrape_configs]) {
      for (const sc of group.static_configs) sc.targets = local(sc.targets);
    }
    writeFileSync(join(dir, 'prometheus.yml'), stringify(prom));

    const nodeArgs = compose.services['node-exporter'].command.map((a: string) =>
      a.replace(/^--collector\.textfile\.directory=.*/, `--collector.textfile.directory=${textfiles}`),
    );
    start('node_exporter', 'prometheus-node-exporter', [...nodeArgs, `--web.listen-address=127.0.0.1:${nodePort}`]);
    start('alertmanager', 'prometheus-alertmanager', [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'alertmanager-data')}`,
      `--web.listen-address=127.0.0.1:${amPort}`,
      // No cluster listener: it would bind every interface, and one Alertmanager needs no peers.
      '--cluster.listen-address=',
    ]);
    start('prometheus', 'prometheus', [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'prometheus-data')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
    ]);
    prometheus = `http://127.0.0.1:${promPort}`;
    alertmanager = `http://127.0.0.1:${amPort}`;
    await waitFor('node_exporter', 20, () => ok(`http://127.0.0.1:${nodePort}/metrics`));
    await waitFor('Alertmanager', 20, () => ok(`${alertmanager}/-/ready`));
    await waitFor('Prometheus', 20, () => ok(`${prometheus}/-/ready`));

    // The drifting batch: activities drifts and fails tests, requests does not drift, birthwt's model got worse.
    await scraped(await runMlobs());
  }, 90 * SECOND);

  afterAll(async () => {
    await Promise.all(running.map(stop));
    await slack.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const dashboard = JSON.parse(readFileSync(join(COMPOSE, 'grafana', 'dashboards', 'mlobs.json'), 'utf8'));
  const monitor = dashboard.templating.list.find((v: any) => v.name === 'monitor');

  it('node_exporter reads every textfile, and the dashboard\'s monitor variable lists every monitor', async () => {
    const [scrapeError] = await query('node_textfile_scrape_error');
    expect(scrapeError.value[1], logs()).toBe('0');
    const [, metric, label] = /^label_values\((\w+), *(\w+)\)$/.exec(monitor.query)!;
    const values = await (await fetch(`${prometheus}/api/v1/label/${label}/values?match[]=${metric}`)).json();
    expect(values.data).toEqual(['activities', 'birthwt', 'requests']);
  });

  it('every Grafana panel query returns data through Prometheus', async () => {
    const queries = dashboard.panels.flatMap((p: any) => p.targets.map((t: any) => ({ panel: p.title, expr: t.expr })));
    expect(queries.length).toBeGreaterThan(10);
    for (const { panel, expr } of queries) {
      const result = await query(expr.replaceAll('$monitor', monitor.allValue));
      expect(result.length, `${panel}: ${expr}`).toBeGreaterThan(0);
    }
  });

  it('dataset drift fires the alert, and Alertmanager delivers it to Slack with the expected labels', async () => {
    const firing = await slackMessage('[FIRING:1] MlobsDatasetDrift · activities');
    expect(firing.channel).toBe('#mlobs-alerts');
    const [attachment] = firing.attachments;
    expect(attachment.color).toBe('danger');
    expect(attachment.title_link).toBe('http://localhost:8080/activities/');
    // The report server serves the reports volume, so the link opens what the run wrote there.
    expect(readdirSync(join(dir, 'reports', 'activities'))).toContain('report.html');
    expect(attachment.text).toContain('*Dataset drift in activities*');
    for (const label of ['monitor: `activities`', 'severity: `warning`', 'job: `mlobs`']) expect(attachment.text).toContain(`• ${label}`);

    const alerts = await (await fetch(`${alertmanager}/api/v2/alerts?filter=alertname%3D%22MlobsDatasetDrift%22`)).json();
    expect(alerts.map((a: any) => a.labels)).toEqual([expect.objectContaining({ monitor: 'activities', severity: 'warning', job: 'mlobs' })]);
    const rules = await (await fetch(`${prometheus}/api/v1/alerts`)).json();
    const active = rules.data.alerts.map((a: any) => `${a.labels.alertname} ${a.labels.monitor ?? ''} ${a.state}`.trim());
    expect(active).toContain('MlobsDatasetDrift activities firing');
    expect(active).toContain('MlobsTargetDrift activities firing');
    expect(active).toContain('MlobsTestsFailing activities firing');
    // Ten requests against the full data fail some suite tests, but nothing drifts.
    expect(active.filter((a: string) => a.includes('requests'))).toEqual(['MlobsTestsFailing requests firing']);
    expect(active.filter((a: string) => /Stale|RunFailing|Textfile|TargetDown/.test(a))).toEqual([]);
  });

  it('failing tests are counted and named from the real suite results', async () => {
    for (const monitor of ['activities', 'requests', 'birthwt']) {
      const [failing] = await query(`mlobs_tests{monitor="${monitor}", status="fail"}`);
      expect(Number(failing.value[1]), monitor).toBeGreaterThan(0);
      // The cap keeps failed tests first, so every failing test is named while the suites are this small.
      const [named] = await query(`sum(mlobs_test_failed{monitor="${monitor}"})`);
      expect(named.value[1], monitor).toBe(failing.value[1]);
    }
  });

  it('a model worse on current data fires MlobsModelQualityDrop per degraded metric, delivered to Slack', async () => {
    const degraded = ['mean_abs_error', 'mean_abs_perc_error', 'r2_score', 'rmse'];
    const message = await slackMessage(`[FIRING:${degraded.length}] MlobsModelQualityDrop · birthwt`);
    expect(message.attachments[0].color).toBe('danger');
    expect(message.attachments[0].title_link).toBe('http://localhost:8080/birthwt/');
    const alerts = await (await fetch(`${alertmanager}/api/v2/alerts?filter=alertname%3D%22MlobsModelQualityDrop%22`)).json();
    expect(alerts.map((a: any) => `${a.labels.monitor} ${a.labels.metric} ${a.labels.severity}`).sort()).toEqual(
      degraded.map((metric) => `birthwt ${metric} critical`),
    );
  });

  it('a run without drift resolves it', async () => {
    await scraped(await runMlobs('--monitor', 'activities', '--current', join(FIXTURES, 'activities', 'reference.csv')));
    const resolved = await slackMessage('[RESOLVED] MlobsDatasetDrift · activities');
    expect(resolved.attachments[0].color).toBe('good');
    expect(await query('ALERTS{alertname="MlobsDatasetDrift"}')).toEqual([]);
    expect(await query('ALERTS{alertname="MlobsTestsFailing", monitor="activities"}')).toEqual([]);
  });
});
