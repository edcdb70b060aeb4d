import { z } from 'zod';
import { Report, SCHEMA_VERSION } from './model.js';

/** The JSON Schema of report.json, derived from the zod model (shipped as schema/report.schema.json). */
export function reportJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(Report),
    $id: `https://mlobs.dev/schema/report-${SCHEMA_VERSION}.json`,
    title: 'mlobs report',
  };
}
