/**
 * Typed errors: every failure a user can cause maps to one class, one exit code and one line of text.
 * Anything else is a bug and is reported as such (exit 70, stack with --debug).
 */
export const ExitCode = {
  ok: 0,
  /** The run completed and a `--fail-on` gate tripped (dataset drift detected). */
  gateFailed: 1,
  /** Bad flags, config, or input data. */
  usage: 2,
  /** The report could not be written (permissions, full disk). */
  output: 3,
  /** The report was written, but the Slack notification failed (unknown channel, missing scope, Slack unreachable). */
  notify: 4,
  /** The data source could not be queried: server unreachable, credentials refused, the engine rejected the SQL. */
  source: 5,
  /** An internal error: a bug in mlobs. */
  internal: 70,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export abstract class MlobsError extends Error {
  abstract readonly exitCode: ExitCode;
}

export class UsageError extends MlobsError {
  readonly exitCode = ExitCode.usage;
  override name = 'UsageError';
}

export class ConfigError extends MlobsError {
  readonly exitCode = ExitCode.usage;
  override name = 'ConfigError';
  constructor(readonly file: string | undefined, message: string) {
    super(file ? `${file}: ${message}` : message);
  }
}

export interface InputLocation {
  file: string;
  /** 1-based physical line in the file. */
  line?: number;
  column?: string;
}

/** Bad input data; the message names the file, line and column where known. */
export class InputError extends MlobsError {
  readonly exitCode = ExitCode.usage;
  override name = 'InputError';
  constructor(readonly location: InputLocation, readonly detail: string) {
    const where = [location.file, location.line !== undefined ? `line ${location.line}` : undefined]
      .filter(Boolean)
      .join(':');
    const col = location.column !== undefined ? ` column "${location.column}"` : '';
    super(`${where}${col}: ${detail}`);
  }
}

export class OutputError extends MlobsError {
  readonly exitCode = ExitCode.output;
  override name = 'OutputError';
}

/** A database engine (ClickHouse, DuckDB) failed a query; the message never contains the password. */
export class SourceError extends MlobsError {
  readonly exitCode = ExitCode.source;
  override name = 'SourceError';
}

/**
 * Slack refused or could not be reached; the message never contains the token or the webhook URL. Credentials
 * Slack will never accept (a revoked token, a removed webhook) are a configuration error, exit 2 like a missing one.
 */
export class NotifyError extends MlobsError {
  readonly exitCode: ExitCode;
  override name = 'NotifyError';
  constructor(message: string, readonly badCredentials = false) {
    super(message);
    this.exitCode = badCredentials ? ExitCode.usage : ExitCode.notify;
  }
}
