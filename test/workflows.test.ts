import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { flagsFor, longFlag, type CommandName } from '../src/settings/index.js';
import { loadConfig } from '../src/config/load.js';
import { parseCron } from '../src/schedule/cron.js';
import { ROOT } from './helpers/cli.js';

interface Step {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  'runs-on': string;
  'timeout-minutes'?: number;
  env?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: Record<string, any>;
  permissions: Record<string, string>;
  concurrency?: { group: string; 'cancel-in-progress'?: boolean };
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}

const load = (name: string) => {
  const text = readFileSync(join(ROOT, '.github/workflows', name), 'utf8');
  return { text, wf: parse(text) as Workflow };
};
const steps = (wf: Workflow) => Object.values(wf.jobs).flatMap((j) => j.steps);


/** Every `mlobs` invocation in the workflow's scripts: the command and the flags it passes. */
function mlobsCalls(wf: Workflow): { command: string; flags: string[] }[] {
  return steps(wf).flatMap((s) =>
    [...(s.run ?? '').matchAll(/(?:node bin\/mlobs\.js|npx mlobs|\bmlobs) (\w+)([^\n]*)/g)].map((m) => ({
      command: m[1],
      flags: [...m[2].matchAll(/(?<=\s|^)(--[a-z][a-z-]*)/g)].map((f) => f[1]),
    })),
  );
}

function expectCommonShape(text: string, wf: Workflow): void {
  // Least privilege: read-only contents, nothing else unless it is explicitly none.
  expect(wf.permissions).toEqual({ contents: 'read' });
  expect(wf.concurrency?.group).toMatch(/\$\{\{ github\.ref \}\}/);
  for (const job of Object.values(wf.jobs)) {
    expect(job['runs-on']).toMatch(/^ubuntu-\d/);
    expect(job['timeout-minutes']).toBeGreaterThan(0);
    expect(job['timeout-minutes']).toBeLessThanOrEqual(30);
  }
  // Every action pinned to a full commit, the release named beside it (the repository's own action is `./`).
  const uses = steps(wf).filter((s) => s.uses && s.uses !== './').map((s) => s.uses!);
  expect(uses.length).toBeGreaterThan(0);
  for (const u of uses) {
    expect(u).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
    expect(text).toMatch(new RegExp(`${u.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} # v\\d+\\.\\d+\\.\\d+\\n`));
  }
  // The same action at the same commit everywhere.
  const pinned = new Map<string, string>();
  for (const u of uses) {
    const [name, sha] = u.split('@');
    expect(pinned.get(name) ?? sha, name).toBe(sha);
    pinned.set(name, sha);
  }
}

describe('.github/workflows/ci.yml', () => {
  const { text, wf } = load('ci.yml');
  it('tests every push to main and every pull request with the CI entry point', () => {
    expect(Object.keys(wf.on).sort()).toEqual(['pull_request', 'push']);
    expect(wf.on.push.branches).toEqual(['main']);
    expect(wf.concurrency?.['cancel-in-progress']).toBe(true);
    expect(steps(wf).some((s) => s.run === 'bash .ci/run')).toBe(true);
    expectCommonShape(text, wf);
  });
});

describe('.github/dependabot.yml', () => {
  it('keeps the pinned action commits current', () => {
    const config = parse(readFileSync(join(ROOT, '.github/dependabot.yml'), 'utf8'));
    expect(config.updates).toContainEqual(expect.objectContaining({ 'package-ecosystem': 'github-actions', directory: '/' }));
  });
});

describe('.github/workflows/drift-report.yml', () => {
  const { text, wf } = load('drift-report.yml');
  const byName = (name: string) => steps(wf).find((s) => s.name === name)!;

  it('runs on a schedule off the hour, and by hand with inputs', () => {
    const crons = wf.on.schedule.map((s: { cron: string }) => s.cron);
    expect(crons.length).toBeGreaterThan(0);
    for (const cron of crons) {
      const fields = cron.split(' ');
      expect(fields).toHaveLength(5);
      parseCron(cron);
      expect(fields[0]).toMatch(/^\d+$/);
      expect(Number(fields[0])).not.toBe(0);
    }
    const inputs = wf.on.workflow_dispatch.inputs;
    expect(Object.keys(inputs).sort()).toEqual(['config', 'notify']);
    expect(inputs.notify.options).toEqual(['always', 'drift', 'failure', 'change']);
    for (const name of Object.keys(inputs)) expect(text).toContain(`inputs.${name}`);
  });

  it('has least privileges, a concurrency group that queues rather than cancels, and pinned actions', () => {
    expect(wf.concurrency?.['cancel-in-progress']).toBe(false);
    expectCommonShape(text, wf);
  });

  it('runs the repository action on a valid config, and mlobs commands and flags that exist in the CLI', async () => {
    const report = byName('Drift report');
    expect(report.uses).toBe('./');
    expect(report.with?.config).toBe('${{ env.CONFIG }}');
    expect(report.with?.out).toBe('${{ env.OUT }}');
    expect(String(report.with?.formats).split(',')).toEqual(expect.arrayContaining(['json', 'html', 'markdown', 'junit']));
    // The action runs the built checkout: the build comes first.
    const names = steps(wf).map((s) => s.run ?? s.name);
    expect(names.indexOf('npm run build')).toBeLessThan(names.indexOf('Drift report'));
    const calls = mlobsCalls(wf);
    expect(calls.map((c) => c.command)).toEqual(['notify']);
    for (const { command, flags } of calls) {
      const known = flagsFor(command as CommandName).map((o) => longFlag(o.flags));
      for (const flag of flags) expect(known, `mlobs ${command} ${flag}`).toContain(flag);
    }
    expect(wf.jobs.report.env?.CONFIG).toContain("'mlobs.yaml'");
    const config = await loadConfig(join(ROOT, 'mlobs.yaml'));
    expect(config.fail_on).toBe('drift');
  });

  it('keeps reports/ as an artifact even when the gate trips, and links Slack to it', () => {
    const upload = byName('Keep the reports');
    expect(upload.uses).toMatch(/^actions\/upload-artifact@/);
    expect(upload.with?.path).toBe('reports/');
    expect(upload.if).toMatch(/^always\(\)/);
    const slack = byName('Slack summary');
    expect(slack.if).toMatch(/^always\(\)/);
    expect(slack.env?.ARTIFACT_URL).toBe('${{ steps.upload.outputs.artifact-url }}');
    expect(slack.run).toContain('--report-url "$ARTIFACT_URL"');
  });

  it('the Slack token reaches only the step that posts', () => {
    const holders = steps(wf).filter((s) => JSON.stringify(s).includes('secrets.'));
    expect(holders.map((s) => s.name)).toEqual(['Slack summary']);
    expect(holders[0].env?.SLACK_BOT_TOKEN).toBe('${{ secrets.SLACK_BOT_TOKEN }}');
    expect(JSON.stringify(wf.jobs.report.env ?? {})).not.toContain('secrets.');
    // Inputs reach scripts through the environment, never spliced into the script text.
    for (const s of steps(wf)) expect(s.run ?? '').not.toMatch(/\$\{\{/);
  });

  it('fails the run when the configured gate trips, after the reports are kept and posted', () => {
    // The action's step exits with mlobs's code (1 when the gate trips); the steps after it run on always().
    const names = steps(wf).map((s) => s.name);
    for (const later of ['Keep the reports', 'Slack summary']) {
      expect(names.indexOf(later)).toBeGreaterThan(names.indexOf('Drift report'));
      expect(byName(later).if).toMatch(/^always\(\)/);
    }
    expect(byName('Keep the reports').if).toContain('steps.report.outputs.report-dir');
  });
});
