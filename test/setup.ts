import { afterAll } from 'vitest';
import { removeTempDirs } from './helpers/tmp.js';

// Every test file leaves /tmp as it found it.
afterAll(removeTempDirs);
