// Writes schema/report.schema.json from the zod report model in dist/ (run after tsc).
import { writeFileSync } from 'node:fs';
import { reportJsonSchema } from '../dist/report/json_schema.js';

writeFileSync(new URL('../schema/report.schema.json', import.meta.url), `${JSON.stringify(reportJsonSchema(), null, 2)}\n`);
