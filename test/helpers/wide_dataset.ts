import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RandomState } from '../../src/stats/random.js';

/**
 * A seeded reference/current pair with many columns, for size and speed budgets of the visual writers:
 * three numeric columns in four, the rest categorical with more levels than a report lists (so the
 * "other" bucket appears); every third column is shifted in the current file.
 */
export function writeWideDataset(dir: string, columns = 100, rows = 3000): { reference: string; current: string } {
  const names = Array.from({ length: columns }, (_, c) => (c % 4 === 3 ? `cat_${c}` : `num_${c}`));
  const write = (file: string, seed: number, shifted: boolean) => {
    const random = new RandomState(seed);
    const lines = [names.join(',')];
    for (let r = 0; r < rows; r++) {
      lines.push(names.map((name, c) => {
        const shift = shifted && c % 3 === 0;
        const u = random.randomSample();
        if (name.startsWith('cat_')) return `level_${Math.floor(30 * u ** (shift ? 2 : 1.3))}`;
        return (c + (u + random.randomSample() + random.randomSample()) * (shift ? 1.3 : 1) * (c + 1)).toFixed(3);
      }).join(','));
    }
    const path = join(dir, file);
    writeFileSync(path, `${lines.join('\n')}\n`);
    return path;
  };
  return { reference: write('reference.csv', 1, false), current: write('current.csv', 2, true) };
}
