import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    // vitest's default is one worker fewer than the cores: one on a 2-core box. The long test files mostly wait
    // (on ClickHouse, Chromium, Prometheus, child processes, npm), so a second worker uses the idle core.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Test files in one worker share loaded modules instead of loading src/ and the libraries once per file
    // (about a third of the suite's CPU time). Each file still gets its setup (test/setup.ts) and leaves
    // process.env and /tmp as it found them; module state in test helpers must survive another file's clean-up.
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      reporter: ['text-summary', 'json-summary'],
    },
  },
});
