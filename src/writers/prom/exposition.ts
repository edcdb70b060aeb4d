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

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const escapeHelp = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
const unescape = (v: string) => v.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));

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

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/**
 * Reads back the samples of a file mlobs wrote, grouped by metric name; anything else in it (comments,
 * malformed lines) is skipped, since the caller only looks for families it knows.
 */
export function parseSamples(text: string): Map<string, Sample[]> {
  const byName = new Map<string, Sample[]>();
  for (const line of text.split('\n')) {
    const m = SAMPLE.exec(line.trim());
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const [, name, value] of (m[2] ?? '').matchAll(LABEL)) labels[name] = unescape(value);
    const value = parseValue(m[3]);
    if (m[3] !== 'NaN' && Number.isNaN(value)) continue;
    if (!byName.has(m[1])) byName.set(m[1], []);
    byName.get(m[1])!.push({ labels, value });
  }
  return byName;
}
