import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify } from 'yaml';
import { ROOT, runCli, tempDir } from './helpers/cli.js';
import { COMPOSE, installed, tool } from './helpers/prom.js';

const RULES = join(COMPOSE, 'prometheus', 'rules');
const RULE_TESTS = join(COMPOSE, 'prometheus', 'tests');
const ruleFiles = readdirSync(RULES).filter((f) => f.endsWith('.yml')).map((f) => join(RULES, f));
const ruleTestFiles = readdirSync(RULE_TESTS).filter((f) => f.endsWith('.yml')).map((f) => join(RULE_TESTS, f));
const readYaml = (path: string) => parseYaml(readFileSync(path, 'utf8'));
const alertRules = ruleFiles.flatMap((f) => readYaml(f).groups.flatMap((g: any) => g.rules));
const compose = readYaml(join(COMPOSE, 'docker-compose.yml'));

const warned = new Set<string>();

/** Each tool's checks run where the tool is installed (CI installs all of them) and say so where it is not. */
function withTool(command: string) {
  const missing = !installed(command);
  if (missing && !warned.has(command)) console.warn(`${command} is not installed: its checks of deploy/compose are skipped`);
  warned.add(command);
  return it.skipIf(missing);
}

describe('deploy/compose: Prometheus', () => {
  withTool('promtool')('promtool accepts the config, as shipped and with the rule files it loads', () => {
    const shipped = tool('promtool', ['check', 'config', join(COMPOSE, 'prometheus', 'prometheus.yml')]);
    expect(shipped.status, shipped.output).toBe(0);
    const config = readYaml(join(COMPOSE, 'prometheus', 'prometheus.yml'));
    config.rule_files = [join(RULES, '*.yml')];
    const path = join(tempDir(), 'prometheus.yml');
    writeFileSync(path, stringify(config));
    const local = tool('promtool', ['check', 'config', path]);
    expect(local.status, local.output).toBe(0);
    expect(local.output).toContain(`SUCCESS: ${ruleFiles.length} rule files found`);
  });

  withTool('promtool')('promtool accepts the rules and their unit tests pass', () => {
    const check = tool('promtool', ['check', 'rules', ...ruleFiles]);
    expect(check.status, check.output).toBe(0);
    const test = tool('promtool', ['test', 'rules', ...ruleTestFiles]);
    expect(test.status, test.output).toBe(0);
  });

  it('every alert has a severity, summary, description and report link, and unit tests that it fires and that it does not', () => {
    const cases = ruleTestFiles.flatMap((f) => readYaml(f).tests.flatMap((t: any) => t.alert_rule_test ?? []));
    const names = alertRules.map((r: any) => r.alert);
    expect(names).toEqual(expect.arrayContaining([
      'MlobsDatasetDrift', 'MlobsColumnDrift', 'MlobsTargetDrift', 'MlobsTestsFailing', 'MlobsModelQualityDrop',
      'MlobsReportStale', 'MlobsRunFailing', 'MlobsTextfileScrapeError', 'MlobsTargetDown',
    ]));
    for (const rule of alertRules) {
      expect(rule.labels?.severity, rule.alert).toMatch(/^(warning|critical)$/);
      for (const key of ['summary', 'description', 'report_url']) expect(rule.annotations?.[key], `${rule.alert} ${key}`).toBeTruthy();
      const own = cases.filter((c: any) => c.alertname === rule.alert);
      expect(own.some((c: any) => c.exp_alerts?.length > 0), `${rule.alert} tested firing`).toBe(true);
      expect(own.some((c: any) => (c.exp_alerts ?? []).length === 0), `${rule.alert} tested not firing`).toBe(true);
    }
  });
});

describe('deploy/compose: Alertmanager', () => {
  const path = join(COMPOSE, 'alertmanager', 'alertmanager.yml');

  withTool('amtool')('amtool accepts the config and parses its templates', () => {
    const shipped = tool('amtool', ['check-config', path]);
    expect(shipped.status, shipped.output).toBe(0);
    const config = readYaml(path);
    config.templates = [join(COMPOSE, 'alertmanager', 'templates', '*.tmpl')];
    const local = join(tempDir(), 'alertmanager.yml');
    writeFileSync(local, stringify(config));
    const check = tool('amtool', ['check-config', local]);
    expect(check.status, check.output).toBe(0);
    expect(check.output).toContain('1 templates');
  });

  it('the Slack webhook URL comes from a secret file, never from the YAML', () => {
    const text = readFileSync(path, 'utf8');
    expect(text).not.toMatch(/api_url\s*:/);
    expect(text).not.toMatch(/hooks\.slack\.com/);
    const slack = readYaml(path).receivers.flatMap((r: any) => r.slack_configs ?? []);
    expect(slack.length).toBeGreaterThan(0);
    for (const s of slack) {
      expect(s.api_url_file).toBe('/run/secrets/slack_webhook_url');
      expect(s.send_resolved).toBe(true);
    }
    expect(compose.services.alertmanager.secrets).toContain('slack_webhook_url');
  });
});

describe('deploy/compose: the compose file', () => {
  withTool('docker-compose')('docker-compose config -q accepts it', () => {
    const res = tool('docker-compose', ['-f', join(COMPOSE, 'docker-compose.yml'), 'config', '-q']);
    expect(res.status, res.output).toBe(0);
  });

  it('pins every image, health-checks every service, and orders start-up on health', () => {
    for (const [name, service] of Object.entries<any>(compose.services)) {
      if (service.image && !service.build) expect(service.image, name).toMatch(/^[\w./-]+:[\w.-]*\d[\w.-]*$/);
      expect(service.healthcheck?.test, `${name} healthcheck`).toBeTruthy();
      for (const [dep, how] of Object.entries<any>(service.depends_on ?? {})) expect(how.condition, `${name} → ${dep}`).toBeTruthy();
    }
    expect(compose.services.prometheus.depends_on['node-exporter'].condition).toBe('service_healthy');
    expect(compose.services.grafana.depends_on.prometheus.condition).toBe('service_healthy');
    const ports = Object.values<any>(compose.services).flatMap((s) => s.ports ?? []);
    expect(ports).toEqual(expect.arrayContaining(['9090:9090', '9093:9093', '3000:3000']));
  });

  it('shares the textfile directory on a named volume, read-only for node_exporter', () => {
    expect(Object.keys(compose.volumes)).toContain('textfile');
    expect(compose.services.mlobs.volumes).toContain('textfile:/textfile');
    expect(compose.services['node-exporter'].volumes).toContain('textfile:/textfile:ro');
    expect(compose.services['node-exporter'].command).toContain('--collector.textfile.directory=/textfile');
    const mlobs = readYaml(join(COMPOSE, 'mlobs', 'mlobs.yaml'));
    expect(mlobs.prometheus.textfile_dir).toBe('/textfile');
    expect(mlobs.monitors.length).toBeGreaterThan(0);
  });

  it('runs mlobs schedule with flags the CLI has, on the config the stack mounts', async () => {
    const command: string[] = compose.services.mlobs.command;
    expect(command[0]).toBe('schedule');
    expect(command[command.indexOf('--config') + 1]).toBe('/etc/mlobs/mlobs.yaml');
    const help = (await runCli(['schedule', '--help'])).stdout;
    for (const flag of command.filter((a) => a.startsWith('--'))) expect(help).toContain(flag);
  });

  it('builds mlobs with a multi-stage Dockerfile on Node 20 slim that runs as a non-root user', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    const stages = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const image of stages) expect(image).toMatch(/^node:20[\d.]*-\w+-slim$/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(compose.services.mlobs.build.dockerfile).toBe('Dockerfile');
  });
});

describe('deploy/compose: Grafana', () => {
  const datasource = readYaml(join(COMPOSE, 'grafana', 'provisioning', 'datasources', 'prometheus.yaml')).datasources[0];
  const dashboard = JSON.parse(readFileSync(join(COMPOSE, 'grafana', 'dashboards', 'mlobs.json'), 'utf8'));

  it('provisions a Prometheus data source with a fixed uid and the dashboard directory', () => {
    expect(datasource).toMatchObject({ type: 'prometheus', url: 'http://prometheus:9090', uid: 'mlobs-prometheus' });
    const provider = readYaml(join(COMPOSE, 'grafana', 'provisioning', 'dashboards', 'mlobs.yaml')).providers[0];
    expect(compose.services.grafana.volumes).toContain(`./grafana/dashboards:${provider.options.path}:ro`);
  });

  it('the dashboard takes its data source from a variable (the provisioned one by default), has a monitor variable and no __inputs', () => {
    expect(dashboard.__inputs).toBeUndefined();
    expect(dashboard.id).toBeNull();
    expect(dashboard.uid).toMatch(/^[\w-]{8,40}$/);
    expect(JSON.stringify(dashboard)).not.toContain('${DS_');
    const variable = dashboard.templating.list.find((v: any) => v.name === 'datasource');
    expect(variable).toMatchObject({ type: 'datasource', query: 'prometheus', current: { value: datasource.uid } });
    const monitor = dashboard.templating.list.find((v: any) => v.name === 'monitor');
    expect(monitor.datasource.uid).toBe('${datasource}');
    for (const panel of dashboard.panels) {
      expect(panel.datasource.uid, panel.title).toBe('${datasource}');
      expect(panel.targets.length, panel.title).toBeGreaterThan(0);
      for (const target of panel.targets) {
        expect(target.datasource.uid, panel.title).toBe('${datasource}');
        expect(target.expr, panel.title).toContain('monitor=~"$monitor"');
      }
    }
  });
});

describe('deploy/compose: what the dashboard shows', () => {
  const dashboard = JSON.parse(readFileSync(join(COMPOSE, 'grafana', 'dashboards', 'mlobs.json'), 'utf8'));
  const panel = (title: RegExp) => {
    const found = dashboard.panels.filter((p: any) => title.test(p.title));
    expect(found, String(title)).toHaveLength(1);
    return found[0];
  };
  const exprs = (p: any): string[] => p.targets.map((t: any) => t.expr);

  it('p-value and distance tests in separate panels, each with its thresholds; p-values on a log axis in scientific notation', () => {
    const pvalues = panel(/^p-value tests/);
    const distances = panel(/^Distance tests/);
    expect(exprs(pvalues)).toEqual([expect.stringMatching(/^mlobs_drift_score\{.*score_kind="p_value"\}$/), expect.stringMatching(/mlobs_drift_threshold\{.*score_kind="p_value"\}/)]);
    expect(exprs(distances)).toEqual([expect.stringMatching(/^mlobs_drift_score\{.*score_kind="distance"\}$/), expect.stringMatching(/mlobs_drift_threshold\{.*score_kind="distance"\}/)]);
    expect(pvalues.fieldConfig.defaults.unit).toBe('sci');
    expect(pvalues.fieldConfig.defaults.custom.scaleDistribution).toEqual({ type: 'log', log: 10 });
    // No chart mixes the two kinds of score on one axis any more (the last-run table lists them with their kind).
    for (const p of dashboard.panels.filter((x: any) => x.type !== 'table')) {
      for (const e of exprs(p)) if (/^mlobs_drift_score\{/.test(e)) expect(e, p.title).toMatch(/score_kind="(p_value|distance)"/);
    }
  });

  it('score relative to threshold as the common view: log axis, a threshold line at 1', () => {
    const ratio = panel(/^Drift severity/);
    expect(exprs(ratio)[0]).toContain('mlobs_drift_threshold{monitor=~"$monitor", score_kind="p_value"} / mlobs_drift_score{monitor=~"$monitor", score_kind="p_value"}');
    expect(exprs(ratio)[0]).toContain('mlobs_drift_score{monitor=~"$monitor", score_kind="distance"} / mlobs_drift_threshold{monitor=~"$monitor", score_kind="distance"}');
    expect(ratio.fieldConfig.defaults.custom.scaleDistribution).toEqual({ type: 'log', log: 10 });
    expect(ratio.fieldConfig.defaults.custom.thresholdsStyle.mode).toMatch(/^line/);
    expect(ratio.fieldConfig.defaults.thresholds.steps.at(-1)).toEqual({ color: 'red', value: 1 });
  });

  it('model metrics grouped by unit: every exported metric in exactly one panel', () => {
    const regexes = dashboard.panels.flatMap((p: any) => exprs(p)).flatMap((e: string) => {
      const m = /^mlobs_model_quality\{.*metric=~"([^"]+)"\}$/.exec(e);
      return m ? [new RegExp(`^(${m[1]})$`)] : [];
    });
    expect(regexes).toHaveLength(2);
    const metrics = ['r2_score', 'rmse', 'mean_error', 'mean_abs_error', 'mean_abs_perc_error', 'abs_error_max', 'error_std', 'accuracy', 'precision', 'recall', 'f1', 'roc_auc', 'log_loss', 'tpr', 'tnr', 'fpr', 'fnr'];
    for (const metric of metrics) expect(regexes.filter((r: RegExp) => r.test(metric)), metric).toHaveLength(1);
    expect(dashboard.panels.flatMap((p: any) => exprs(p)).filter((e: string) => e.startsWith('mlobs_model_quality') && !e.includes('metric=~'))).toEqual([]);
  });

  it('a state timeline for the drift flag, and data links to the report server', () => {
    const timeline = panel(/^Dataset drift over time$/);
    expect(timeline.type).toBe('state-timeline');
    expect(exprs(timeline)).toEqual(['mlobs_dataset_drift_detected{monitor=~"$monitor"}']);
    const server = dashboard.templating.list.find((v: any) => v.name === 'report_server');
    expect(server.query).toBe('http://localhost:8080');
    expect(compose.services.reports.ports).toContain('8080:80');
    // mlobs publishes each monitor's directory as a swapped symlink: the server must follow it.
    expect(readFileSync(join(ROOT, 'deploy/compose/reports/nginx.conf'), 'utf8')).toMatch(/^\s*disable_symlinks off;/m);
    const linked = dashboard.panels.filter((p: any) => p.fieldConfig.defaults.links?.some((l: any) => /^\$\{report_server\}\/\$\{__(field\.labels|data\.fields)\.monitor\}\/report\.html$/.test(l.url)));
    expect(linked.map((p: any) => p.title)).toEqual(expect.arrayContaining(['Dataset drift over time', 'Per-column drift (last run)', expect.stringMatching(/^Drift severity/)]));
  });
});
