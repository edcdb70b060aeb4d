// Checks that `npm pack` yields a package that installs and runs: packs the built tree, installs the tarball
// into an empty temporary project (its dependencies come from the registry, or npm's cache), and runs
// `npx mlobs report` there on the bundled fixtures. Prints one JSON line with the timings; exits non-zero
// on any failure. Run after `npm run build` (`npm run pack:smoke` does both).
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const work = mkdtempSync(join(tmpdir(), 'mlobs-pack-'));
const sh = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const clock = () => performance.now() / 1000;

try {
  let t = clock();
  const [packed] = JSON.parse(sh(npm, ['pack', '--json', '--pack-destination', work], ROOT));
  const tarball = join(work, packed.filename);
  const pack_s = clock() - t;
  if (packed.files.some((f) => f.path.startsWith('dist/mlobs-'))) throw new Error('the standalone binary got into the package');

  const project = join(work, 'project');
  sh('mkdir', [project]);
  sh(npm, ['init', '-y'], project);
  t = clock();
  sh(npm, ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], project);
  const install_s = clock() - t;

  for (const f of ['reference.csv', 'current.csv']) copyFileSync(join(ROOT, 'fixtures/activities', f), join(project, f));
  const version = sh('npx', ['--no-install', 'mlobs', '--version'], project).trim();
  const expected = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
  if (version !== expected) throw new Error(`npx mlobs --version printed ${version}, expected ${expected}`);
  t = clock();
  sh('npx', ['--no-install', 'mlobs', 'report', '-r', 'reference.csv', '-c', 'current.csv', '--target', 'Quality', '-o', 'out', '-f', 'json,html', '--quiet'], project);
  const run_s = clock() - t;
  for (const f of ['out/report.json', 'out/report.html']) if (!existsSync(join(project, f))) throw new Error(`npx mlobs report wrote no ${f}`);
  const round = (x) => Math.round(x * 100) / 100;
  console.log(JSON.stringify({ tarball: packed.filename, bytes: statSync(tarball).size, files: packed.files.length, pack_s: round(pack_s), install_s: round(install_s), report_s: round(run_s) }));
} finally {
  rmSync(work, { recursive: true, force: true });
}
