// Stands in for @duckdb/node-api in the standalone binary, which cannot carry native addons: Parquet input says
// why it is unavailable (src/sources/duckdb/connection.ts turns this into a one-line error) and CSV works.
throw new Error('it is a native module, which the standalone binary cannot include; install mlobs with npm for Parquet input');
