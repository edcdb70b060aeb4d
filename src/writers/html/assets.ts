import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Handlebars from 'handlebars';

/** The package ships templates/ beside dist/; this file sits three levels down in both src/ and dist/. */
const TEMPLATES = fileURLToPath(new URL('../../../templates/html/', import.meta.url));

export interface Assets {
  page: Handlebars.TemplateDelegate;
  css: string;
  boot: string;
  app: string;
  chartjs: string;
}

let assets: Assets | undefined;

/**
 * Chart.js's package exports no path to its UMD build, so it is found next to the CommonJS entry. The
 * source-map comment goes: it would make an open DevTools fetch a file that is not there.
 */
function readChartJs(): string {
  const entry = createRequire(import.meta.url).resolve('chart.js');
  return readFileSync(join(dirname(entry), 'chart.umd.min.js'), 'utf8').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
}

/** Handlebars is loaded on the first HTML report only, so no other command pays for it at startup. */
export async function loadAssets(): Promise<Assets> {
  if (assets) return assets;
  const hbs = (await import('handlebars')).default.create();
  const partials = join(TEMPLATES, 'partials');
  for (const file of readdirSync(partials).filter((f) => f.endsWith('.hbs'))) {
    hbs.registerPartial(basename(file, '.hbs'), readFileSync(join(partials, file), 'utf8'));
  }
  const read = (name: string) => readFileSync(join(TEMPLATES, name), 'utf8');
  assets = {
    page: hbs.compile(read('layout.hbs'), { strict: true }),
    css: read('report.css'),
    boot: "document.documentElement.className='js';",
    app: read('report.js'),
    chartjs: readChartJs(),
  };
  return assets;
}

/** Inline scripts are data to the HTML parser until `</script`; none of ours may contain it. */
export function inlineScript(source: string): string {
  if (/<\/script/i.test(source)) throw new Error('an inline script contains "</script"');
  return source;
}

const sha256 = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;

/**
 * The page may run only its own inline scripts and styles and fetch nothing: with default-src 'none' the
 * browser itself enforces "no network request", whatever a future template or Chart.js version tries.
 */
export function contentSecurityPolicy(scripts: string[], css: string): string {
  return [
    "default-src 'none'",
    `script-src ${scripts.map(sha256).join(' ')}`,
    `style-src ${sha256(css)}`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}
