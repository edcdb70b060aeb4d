#!/usr/bin/env node
// The GitHub Action's entry point (action.yml): needs the built package (dist/), as a release has it.
import { runAction } from '../dist/ci/action.js';
import { processIo } from '../dist/console.js';

process.exitCode = await runAction(process.env, processIo);
