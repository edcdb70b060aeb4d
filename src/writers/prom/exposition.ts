import { capLabel } from '../../printable.js';

/** Longest label value written whole: a 2 MB column name must not make every series 2 MB. */
export const PROM_LABEL_MAX = 256;

/**
 * The Prometheus text exposition format, restricted to what node_exporter's textfile collector accepts from
 * mlobs: gauges only, no timestamps, one HELP and TYPE per family, every sample of a family with the same
 * label names, no series twice.
 */
export interface FamilySpec {
  name: string;
  /** Must be the same text in every file: node_exporter rejects a family whose HELP differs between files. */
  help: string;
  labels: readonly string[];
}

export interface Sample {
  labels: Readonly<Record<string, string>>;
  value: number;
}

export interface Family extends FamilySpec {
  samples: Sample[];
}

const escapeLabel = (v: string) => capLabel(v, PROM_LABEL_MAX).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const escapeHelp = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');

function formatValue(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '+Inf';
  if (x === -Infinity) return '-Inf';
  return String(x);
}

function parseValue(raw: string): number {
  if (raw === '+Inf' || raw === 'Inf') return Infinity;
  if (raw === '-Inf') return -Infinity;
  return raw === 'NaN' ? NaN : Number(raw);
}

/** A sample's series: its name and its labels in the family's order, escaped. */
function seriesId(f: Family, s: Sample): string {
  const labels = f.labels.map((l) => `${l}="${escapeLabel(s.labels[l] ?? '')}"`).join(',');
  return labels ? `${f.name}{${labels}}` : f.name;
}

export function renderExposition(families: readonly Family[]): string {
  const lines: string[] = [];
  const names = new Set<string>();
  for (const f of families) {
    // Families with no samples are left out: a HELP/TYPE header alone says nothing and some parsers reject it.
    if (f.samples.length === 0) continue;
    if (names.has(f.name)) throw new Error(`metric family ${f.name} rendered twice`);
    names.add(f.name);
    lines.push(`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} gauge`);
    const series = new Set<string>();
    for (const s of f.samples) {
      const id = seriesId(f, s);
      if (series.has(id)) continue;
      series.add(id);
      lines.push(`${id} ${formatValue(s.value)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * OpenMetrics text for `promtool tsdb create-blocks-from openmetrics`: the families of several points in
 * time, each sample with its point's timestamp (Unix seconds), a series' samples together and in time order
 * (points are given oldest first), then the closing `# EOF`.
 */
export function renderOpenMetrics(points: readonly { timestamp: number; families: readonly Family[] }[]): string {
  const families = new Map<string, { spec: FamilySpec; series: Map<string, string[]> }>();
  for (const { timestamp, families: fs } of points) {
    for (const f of fs) {
      let entry = families.get(f.name);
      if (!entry) families.set(f.name, (entry = { spec: f, series: new Map() }));
      const seen = new Set<string>();
      for (const s of f.samples) {
        const id = seriesId(f, s);
        if (seen.has(id)) continue;
        seen.add(id);
        if (!entry.series.has(id)) entry.series.set(id, []);
        entry.series.get(id)!.push(`${id} ${formatValue(s.value)} ${timestamp}`);
      }
    }
  }
  const lines: string[] = [];
  for (const { spec, series } of families.values()) {
    if (series.size === 0) continue;
    lines.push(`# HELP ${spec.name} ${escapeHelp(spec.help)}`, `# TYPE ${spec.name} gauge`);
    for (const samples of series.values()) lines.push(...samples);
  }
  return `${lines.join('\n')}\n# EOF\n`;
}

/**
 * One sample line, read character by character as the exposition format defines it: only `\n` ends a line,
 * and a label value may hold anything (CR, U+2028, braces, `="`) with `\\`, `\"` and `\n` escaped. A
 * regex with `.` stops at CR and the Unicode line separators, and dropped such series.
 */
function parseSampleLine(line: string): { name: string; sample: Sample } | undefined {
  const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)?.[0];
  if (!name) return undefined;
  let i = name.length;
  const labels: Record<string, string> = {};
  if (line[i] === '{') {
    i++;
    for (;;) {
      while (line[i] === ' ' || line[i] === ',') i++;
      if (line[i] === '}') break;
      const label = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(line.slice(i, i + 200))?.[0];
      if (!label || line[i + label.length] !== '=' || line[i + label.length + 1] !== '"') return undefined;
      i += label.length + 2;
      let value = '';
      for (; i < line.length && line[i] !== '"'; i++) {
        if (line[i] !== '\\') value += line[i];
        else {
          i++;
          value += line[i] === 'n' ? '\n' : (line[i] ?? '');
        }
      }
      if (i >= line.length) return undefined;
      i++;
      labels[label] = value;
    }
    i++;
  }
  const rest = line.slice(i);
  const m = /^[ \t]+(\S+)[ \t]*$/.exec(rest);
  if (!m) return undefined;
  const value = parseValue(m[1]);
  if (m[1] !== 'NaN' && Number.isNaN(value)) return undefined;
  return { name, sample: { labels, value } };
}

/**
 * Reads back the samples of a file mlobs wrote, grouped by metric name; anything else in it (comments,
 * malformed lines) is skipped, since the caller only looks for families it knows.
 */
export function parseSamples(text: string): Map<string, Sample[]> {
  const byName = new Map<string, Sample[]>();
  for (const line of text.split('\n')) {
    const parsed = parseSampleLine(line);
    if (!parsed) continue;
    if (!byName.has(parsed.name)) byName.set(parsed.name, []);
    byName.get(parsed.name)!.push(parsed.sample);
  }
  return byName;
}
