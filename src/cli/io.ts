/** Where the CLI writes; injectable so tests can run `run(argv)` in-process and capture output. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Colour only when writing to a terminal and NO_COLOR is unset. */
  color: boolean;
}

export const processIo: CliIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  color: !!process.stdout.isTTY && !process.env.NO_COLOR,
};
