// Writes docs/cli.md from the settings table (run after the build; test/settings.test.ts fails when it is stale).
import { writeFileSync } from 'node:fs';
import { cliDocs } from '../dist/settings/index.js';

writeFileSync(new URL('../docs/cli.md', import.meta.url), cliDocs());
