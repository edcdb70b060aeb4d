// Bundles the CLI into dist/mlobs.mjs, which bin/mlobs.js runs: one file instead of the ~580 module files (dist,
// zod, commander, @stdlib) that Node otherwise resolves, reads and compiles one by one before a report's readers
// start (about half of start-up; bench/README.md). Packages a run loads only when it needs them stay outside,
// as do the native addons. Each worker script in dist/ is replaced by a bundle of itself at the same path, which
// `workerScript` finds as before; in every bundle each module's import.meta.url becomes its own file's URL in
// dist/, so workers, templates and package.json are found where they were.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Rewrites each source module's import.meta.url to its own file in dist/, seen from a bundle in dist/`bundleDir`. */
const moduleUrls = (bundleDir) => ({
  name: 'module-urls',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const own = relative(join(ROOT, 'src'), args.path).replace(/\.ts$/, '.js');
      const url = JSON.stringify(`./${relative(bundleDir, own).replace(/\\/g, '/')}`);
      return { contents: source.replaceAll('import.meta.url', `new URL(${url}, import.meta.url).href`), loader: 'ts' };
    });
  },
});

const shared = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['@duckdb/*', '@napi-rs/canvas', '@clickhouse/client', '@slack/web-api', 'chart.js', 'handlebars', 'yaml'],
  // Bundled CommonJS packages (@stdlib, commander) call require() for Node's own modules.
  banner: { js: "import { createRequire as mlobsCreateRequire } from 'node:module';\nconst require = mlobsCreateRequire(import.meta.url);" },
  logLevel: 'warning',
};
// The previous build's chunks: their names change with their contents.
for (const name of readdirSync(join(ROOT, 'dist'))) if (name.endsWith('.mjs')) rmSync(join(ROOT, 'dist', name));
const builds = await Promise.all([
  // Split: a module the CLI imports only when used (ClickHouse, Slack delivery) becomes a chunk of its own, with
  // its packages' imports; in one file those imports would be hoisted to the top and load at every start.
  build({
    ...shared,
    entryPoints: { mlobs: join(ROOT, 'src', 'cli', 'main.ts') },
    outdir: join(ROOT, 'dist'),
    outExtension: { '.js': '.mjs' },
    splitting: true,
    // Beside mlobs.mjs, so that each module's URL in dist/ is the same seen from any chunk; not `mlobs-*`, which
    // names the standalone binaries that package.json's `files` leaves out.
    chunkNames: 'chunk-[name]-[hash]',
    plugins: [moduleUrls('')],
  }),
  // Each worker script is replaced by a bundle of itself (same path, so `workerScript` finds it): a drift worker
  // started while the files are read then loads one file instead of ~450, leaving the cores to the readers.
  ...['drift/worker', 'io/csv/worker', 'schedule/worker', 'windows/worker', 'sources/hash_worker'].map((script) =>
    build({
      ...shared,
      entryPoints: [join(ROOT, 'src', `${script}.ts`)],
      outfile: join(ROOT, 'dist', `${script}.js`),
      allowOverwrite: true,
      plugins: [moduleUrls(dirname(script))],
    }),
  ),
]);
if (builds.some((r) => r.errors.length > 0)) process.exit(1);
