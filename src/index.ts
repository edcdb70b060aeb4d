export { runReport, analyze, type ReportOptions, type AnalyzeOptions } from './pipeline.js';
export { Report, SCHEMA_VERSION, scoreFromJson, scoreToJson } from './report/model.js';
export type { ColumnDrift, ColumnInfo, ColumnIssue, ReportWarning, Distribution } from './report/model.js';
export { STAT_TESTS, findStatTest, autoSelect, isDrift, type StatTestDef } from './drift/registry.js';
export type { DriftOptions } from './drift/options.js';
export type { ColumnRoles } from './data/roles.js';
export { readCsv, readCsvFiles, DEFAULT_NA_VALUES } from './io/csv/index.js';
export { ExitCode, MlobsError, UsageError, ConfigError, InputError, OutputError } from './errors.js';
export { run } from './cli/run.js';
