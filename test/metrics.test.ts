import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { MODEL_METRICS } from '../src/report/metrics.js';
import { ROOT } from './helpers/cli.js';

const keys = MODEL_METRICS.map((m) => m.key as string);
const alerting = (better: 'higher' | 'lower') =>
  MODEL_METRICS.filter((m) => m.alert && m.better === better)
    .map((m) => m.key as string)
    .sort();

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('the model-metric table is the one list of metrics', () => {
  it('MlobsModelQualityDrop watches exactly the alerting metrics, each in its better direction', () => {
    const rules = parse(readFileSync(join(ROOT, 'deploy/compose/prometheus/rules/mlobs-drift.yml'), 'utf8')) as {
      groups: { rules: { alert?: string; expr: string }[] }[];
    };
    const rule = rules.groups.flatMap((g) => g.rules).find((r) => r.alert === 'MlobsModelQualityDrop')!;
    // Each half of the rule is `current <op> factor * reference`, both selectors with the same metric regex.
    const halves = [...rule.expr.matchAll(/metric=~"([^"]+)"\}\s*([<>])\s*ignoring\(dataset\)\s*([\d.]+) \* mlobs_model_quality\{[^}]*metric=~"([^"]+)"/g)];
    expect(halves).toHaveLength(2);
    for (const [, current, op, factor, reference] of halves) {
      expect(reference).toBe(current);
      expect(Number(factor)).toBe(op === '<' ? 0.9 : 1.1);
      expect(current.split('|').sort()).toEqual(alerting(op === '<' ? 'higher' : 'lower'));
    }
  });

  it("docs/prometheus.md names every exported metric and the alert rule's two sets", () => {
    const doc = readFileSync(join(ROOT, 'docs/prometheus.md'), 'utf8');
    for (const m of MODEL_METRICS.filter((x) => x.prometheus)) expect(doc, m.key).toContain(`\`${m.key}\``);
    const sentence = /`MlobsModelQualityDrop` treats ([\s\S]+?) as higher-is-better and ([\s\S]+?) as lower-is-better/.exec(doc)!;
    const names = (text: string) => [...text.matchAll(/`(\w+)`/g)].map((x) => x[1]).sort();
    expect(names(sentence[1])).toEqual(alerting('higher'));
    expect(names(sentence[2])).toEqual(alerting('lower'));
  });

  it('no source file lists three or more metric keys again (read src/report/metrics.ts instead)', () => {
    const key = `'(?:${keys.join('|')})'`;
    // `'a', 'b'`, `'a' | 'b'` and `['a', 'A'], ['b', 'B']`: arrays, unions and tables of keys.
    const list = new RegExp(`${key}(?:(?:\\s*,\\s*'[^'\\n]*'\\s*\\])?\\s*[,|]\\s*\\[?\\s*${key}){2,}`);
    const copies = sourceFiles(join(ROOT, 'src'))
      .filter((f) => !f.endsWith(join('report', 'metrics.ts')))
      .filter((f) => list.test(readFileSync(f, 'utf8')))
      .map((f) => relative(ROOT, f));
    expect(copies).toEqual([]);
  });
});
