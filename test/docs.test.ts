import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPORT_OPTIONS } from '../src/cli/options.js';
import { reportJsonSchema } from '../src/report/json-schema.js';
import { ROOT } from './helpers/cli.js';

describe('shipped documents agree with the code', () => {
  it('schema/report.schema.json is the one generated from the report model', () => {
    const shipped = JSON.parse(readFileSync(join(ROOT, 'schema', 'report.schema.json'), 'utf8'));
    expect(shipped).toEqual(JSON.parse(JSON.stringify(reportJsonSchema())));
  });

  it('the README documents every report flag and every exit code', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    for (const o of REPORT_OPTIONS) expect(readme, o.flags).toContain(`\`${o.flags}\``);
    for (const code of ['| 0 |', '| 1 |', '| 2 |', '| 3 |', '| 70 |']) expect(readme).toContain(code);
  });
});
