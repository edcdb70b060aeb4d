// The steps of `npm test` before vitest, in two lanes at once: each step keeps about one core busy, and they are
// independent but for the order typecheck → build (vitest's child-process tests need dist/). A lane stops at its
// first failure; each step's output is printed whole when it ends, and the exit status is 1 if any step failed.
import { spawn } from 'node:child_process';

const LANES = [['typecheck', 'build'], ['lint']];
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function step(name) {
  return new Promise((resolve) => {
    const child = spawn(npm, ['run', name], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => {
      process.stdout.write(output);
      resolve(code === 0);
    });
  });
}

const passed = await Promise.all(
  LANES.map(async (lane) => {
    for (const name of lane) if (!(await step(name))) return false;
    return true;
  }),
);
process.exit(passed.every(Boolean) ? 0 : 1);
