// Prints the README's option table from the CLI's single options table (run after the build).
import { REPORT_OPTIONS } from '../dist/cli/options.js';

console.log('| flag | config key | meaning |');
console.log('| --- | --- | --- |');
for (const o of REPORT_OPTIONS) {
  const meaning = o.defaultText ? `${o.description} (default: ${o.defaultText})` : o.description;
  console.log(`| \`${o.flags}\` | ${o.config ? `\`${o.config}\`` : ''} | ${meaning.replace(/\|/g, '\\|')} |`);
}
