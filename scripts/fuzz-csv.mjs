#!/usr/bin/env node
// The deeper CSV fuzz pass: `node scripts/fuzz-csv.mjs [files] [first seed]` (default 100000 files from seed
// 1). It runs test/csv/fuzz.test.ts, which npm test runs with 2000 files, on more seeds; a failure names its
// seed, and `FUZZ_SEED=<seed> FUZZ_FILES=1 npx vitest run test/csv/fuzz.test.ts` replays it.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const [files = '100000', seed = '1'] = process.argv.slice(2);
const root = join(import.meta.dirname, '..');
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
const res = spawnSync(process.execPath, [vitest, 'run', 'test/csv/fuzz.test.ts', '--testTimeout', '0'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, FUZZ_FILES: files, FUZZ_SEED: seed },
});
process.exit(res.status ?? 1);
