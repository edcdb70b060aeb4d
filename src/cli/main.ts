import { constants } from 'node:os';
import { removePendingSync } from '../io/atomic.js';
import { run } from './run.js';

/** The `mlobs` executable: bin/mlobs.js and the standalone binary both start here. */
export async function main(): Promise<void> {
  // A closed pipe (`mlobs report --help | head`) is the reader's choice, not an error worth a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
  const argv = process.argv.slice(2);
  // A run stopped by a signal takes its temp files and staging directory with it (schedule has its own handlers).
  if (argv[0] !== 'schedule') {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.once(signal, () => {
        removePendingSync();
        process.exit(128 + constants.signals[signal]);
      });
    }
  }
  process.exitCode = await run(argv);
}
