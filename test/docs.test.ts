import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportJsonSchema } from '../src/report/json_schema.js';
import { ROOT } from './helpers/cli.js';

describe('shipped documents agree with the code', () => {
  it('schema/report.schema.json is the one generated from the report model', () => {
    const shipped = JSON.parse(readFileSync(join(ROOT, 'schema', 'report.schema.json'), 'utf8'));
    expect(shipped).toEqual(JSON.parse(JSON.stringify(reportJsonSchema())));
  });

  it('the README documents every exit code', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    for (const code of ['| 0 |', '| 1 |', '| 2 |', '| 3 |', '| 70 |']) expect(readme).toContain(code);
  });
});
