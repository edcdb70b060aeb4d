import { formatBytes, formatCount as count } from '../../report/format.js';
import type { ColumnInfo, Report, SideCounts } from '../../report/model.js';
import { HTML_LABEL_MAX, TYPE_LABEL } from './common.js';
import { capLabel } from '../../printable.js';

const TYPE_WHY: Record<ColumnInfo['type_source'], string> = {
  inferred: 'inferred from the values',
  declared: 'declared in the options',
  role: 'follows from its role',
};

const sideCounts = (s: SideCounts | null, key: keyof SideCounts) => (s ? s[key] : null);

export function columnRow(c: ColumnInfo, driftIds: Map<string, string>, notes: Map<string, string[]>) {
  const pair = (key: keyof SideCounts) => {
    const r = sideCounts(c.reference, key);
    const k = sideCounts(c.current, key);
    return { text: `${r === null ? '–' : count(r)} / ${k === null ? '–' : count(k)}`, some: (r ?? 0) + (k ?? 0) > 0 };
  };
  return {
    name: capLabel(c.name, HTML_LABEL_MAX),
    driftId: driftIds.get(c.name),
    role: c.role,
    type: TYPE_LABEL[c.type],
    why: TYPE_WHY[c.type_source],
    presence: c.in_reference && c.in_current ? 'both files' : c.in_reference ? 'reference only' : 'current only',
    oneFile: !(c.in_reference && c.in_current),
    missing: pair('missing'),
    coerced: pair('coerced'),
    infinite: pair('infinite'),
    tokens: c.coerced_tokens.map((t) => `"${t.token}" ×${count(t.reference + t.current)}`).join(', '),
    notes: notes.get(c.name) ?? [],
  };
}

export function inputRow(side: string, x: Report['inputs']['reference']) {
  return {
    side,
    path: x.path,
    size: formatBytes(x.bytes),
    bytes: count(x.bytes),
    rows: count(x.rows),
    columns: count(x.columns),
    delimiter: x.delimiter === null ? x.format : JSON.stringify(x.delimiter),
    sha256: x.sha256,
  };
}
