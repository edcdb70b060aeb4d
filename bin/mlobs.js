#!/usr/bin/env node
import { main } from '../dist/mlobs.mjs';

await main();
