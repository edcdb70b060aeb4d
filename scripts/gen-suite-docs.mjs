// Rewrites the generated part of docs/test-suites.md from the suite catalogue (run after the build; test/docs.test.ts
// fails when it is stale).
import { readFileSync, writeFileSync } from 'node:fs';
import { SUITE_DOCS_BEGIN, SUITE_DOCS_END, suiteDocs } from '../dist/suite/docs.js';

const file = new URL('../docs/test-suites.md', import.meta.url);
const text = readFileSync(file, 'utf8');
const start = text.indexOf(SUITE_DOCS_BEGIN);
const end = text.indexOf(SUITE_DOCS_END);
if (start < 0 || end < start) throw new Error('docs/test-suites.md has lost its generated-part markers');
writeFileSync(file, text.slice(0, start) + suiteDocs() + text.slice(end + SUITE_DOCS_END.length));
