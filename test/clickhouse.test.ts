import { readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAT_TEST_IDS } from '../src/drift/registry.js';
import { readReport, runCli, tempDir, type CliResult } from './helpers/cli.js';
import { CLICKHOUSE_BIN, PASSWORD, startCluster, type Cluster } from './helpers/clickhouse.js';
import { columnsFromCsv, loadColumns, type Loaded } from './helpers/clickhouse-load.js';
import { GOLDEN_DATASETS } from './helpers/golden.js';

const ENV = { MLOBS_CLICKHOUSE_PASSWORD: PASSWORD };

/** Numbers equal to 1e-12 (relative, absolute near zero); everything else exactly; `skip` paths left out. */
function sameReport(a: unknown, b: unknown, path: string, skip: Set<string>, out: string[]): void {
  if (skip.has(path)) return;
  if (typeof a === 'number' && typeof b === 'number') {
    if (!(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a)))) out.push(`${path}: ${a} vs ${b}`);
    return;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) sameReport((a as any)[k], (b as any)[k], Array.isArray(a) ? `${path}[${k}]` : `${path}.${k}`, skip, out);
    return;
  }
  if (a !== b) out.push(`${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
}

/** The CSV report and the pushdown report agree on every section the pushdown computes. */
function expectSameReport(csv: any, pushdown: any): void {
  expect(pushdown.engine).toMatchObject({ name: 'clickhouse', version: '18.16.1', mode: 'pushdown' });
  expect(csv.engine).toMatchObject({ name: 'csv', mode: 'in-memory' });
  const skip = new Set<string>();
  for (const { section } of pushdown.engine.not_exact) {
    const m = /^quality\.columns\["(.*)"\]\.(reference|current)\.most_common$/.exec(section);
    if (m) skip.add(`.quality.columns[${csv.quality.columns.findIndex((c: any) => c.column === m[1])}].${m[2]}.most_common`);
  }
  const diffs: string[] = [];
  for (const section of ['columns', 'drift', 'quality', 'errors', 'warnings', 'options']) sameReport(csv[section], pushdown[section], `.${section}`, skip, diffs);
  expect(diffs).toEqual([]);
  expect(pushdown.target_drift).toBeUndefined();
  expect(pushdown.model_quality).toBeUndefined();
  if (csv.target_drift) expect(pushdown.engine.not_exact.map((e: any) => e.section)).toContain('target_drift');
  if (csv.model_quality) expect(pushdown.engine.not_exact.map((e: any) => e.section)).toContain('model_quality');
}

interface Case {
  loaded: Loaded;
  roles: string[];
}

/** The golden case's roles, limited to the columns the database holds. */
function roleArgs(dir: string, kept: Set<string>): string[] {
  const c = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8'));
  const cols = c.columns;
  const keep = (list: string[] | undefined) => (list ?? []).filter((n) => kept.has(n));
  const args: string[] = [];
  if (keep(cols.numerical).length) args.push('--numerical', keep(cols.numerical).join(','));
  if (keep(cols.categorical).length) args.push('--categorical', keep(cols.categorical).join(','));
  if (cols.target && kept.has(cols.target)) args.push('--target', cols.target);
  if (cols.prediction && kept.has(cols.prediction)) args.push('--prediction', cols.prediction);
  if (c.task && cols.target && kept.has(cols.target)) args.push('--task', c.task);
  const listed = new Set([...keep(cols.numerical), ...keep(cols.categorical), cols.target, cols.prediction]);
  const rest = [...kept].filter((h) => !listed.has(h));
  if (rest.length) args.push('--ignore', rest.join(','));
  return args;
}

async function both(k: Case, extra: string[], { ordered = false, pushdownExtra = [] as string[] } = {}): Promise<[any, any, CliResult]> {
  const a = tempDir();
  const b = tempDir();
  const l = k.loaded;
  const [csv, pd] = await Promise.all([
    runCli(['report', '-r', l.referenceCsv, '-c', l.currentCsv, '-o', a, ...k.roles, ...extra]),
    runCli(['report', '--source', cluster.url, '--reference-sql', ordered ? l.orderedReferenceSql : l.referenceSql, '--current-sql', ordered ? l.orderedCurrentSql : l.currentSql, '-o', b, ...k.roles, ...extra, ...pushdownExtra], { env: ENV }),
  ]);
  expect(csv.stderr).toBe('');
  expect(pd.stderr).toBe('');
  expect([csv.code, pd.code]).toEqual([0, 0]);
  return [readReport(a), readReport(b), pd];
}

let cluster: Cluster;
const cases = new Map<string, Case>();
const dir = tempDir('mlobs-pushdown-');

describe.skipIf(!CLICKHOUSE_BIN)('pushdown to a 2-shard ClickHouse cluster equals the CSV path', () => {
  beforeAll(async () => {
    cluster = await startCluster();
    const sources: [string, string, string][] = [['activities', 'fixtures/activities/reference.csv', 'fixtures/activities/current.csv']];
    for (const name of readdirSync(GOLDEN_DATASETS)) sources.push([name, join(GOLDEN_DATASETS, name, 'reference.csv'), join(GOLDEN_DATASETS, name, 'current.csv')]);
    let t = 0;
    for (const [name, ref, cur] of sources) {
      const columns = await columnsFromCsv(ref, cur);
      const loaded = await loadColumns(cluster, `t${t++}`, columns, dir);
      const kept = new Set(loaded.columns);
      const roles = name === 'activities' ? ['--target', 'Quality', '--task', 'regression'] : roleArgs(join(GOLDEN_DATASETS, name), kept);
      cases.set(name, { loaded, roles });
    }
  }, 60_000);

  afterAll(() => cluster?.stop());

  it('every golden dataset, default tests: drift, data quality and dataset drift identical', async () => {
    for (const [name, k] of cases) {
      const [csv, pd] = await both(k, []);
      expect(csv.drift.columns.length, name).toBeGreaterThan(0);
      expectSameReport(csv, pd);
    }
  }, 60_000);

  for (const [label, name] of [['numerical', 'activities'], ['categorical', 'aids2_diag_1982_88_vs_1989_91']]) {
    it(`each of the 18 stat tests forced, ${label} data`, async () => {
      const k = cases.get(name)!;
      for (const id of STAT_TEST_IDS) {
        const [csv, pd] = await both(k, ['--stattest', id], { ordered: true, pushdownExtra: ['--pushdown-pull-rows', '100000'] });
        expectSameReport(csv, pd);
      }
    }, 90_000);
  }
});
