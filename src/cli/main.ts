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
  process.exitCode = await run(process.argv.slice(2));
}
