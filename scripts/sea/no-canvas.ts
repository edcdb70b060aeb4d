// Stands in for @napi-rs/canvas in the standalone binary, which cannot carry native addons: PNG output says
// why it is unavailable (src/writers/png.ts turns this into a one-line error) and every other format works.
throw new Error('it is a native module, which the standalone binary cannot include; install mlobs with npm for PNG charts');
