import { MAX_JUNK_TOKENS, type ColumnPlan } from '../data/typing.js';
import type { ParsedColumn } from '../io/csv/types.js';
import type { ColumnInfo, SideCounts } from '../report/model.js';
import { isNumericProfile, type ColumnQuality, type SideProfile } from './profile.js';

/**
 * `profile` is the side's data-quality profile: a numeric one has counted the infinities already, and a
 * column without any number cell has none, so only a text column's other cells need a look.
 */
function sideCounts(col: ParsedColumn | undefined, coerced: boolean, profile: SideProfile | undefined, numeric: boolean): SideCounts | null {
  if (!col) return null;
  let infinite = 0;
  if (numeric && profile) infinite = profile.posInf + profile.negInf;
  else if (col.numericCount > 0) {
    const v = col.numbers;
    for (let i = 0; i < v.length; i++) if (v[i] === Infinity || v[i] === -Infinity) infinite++;
  }
  return {
    rows: col.numbers.length,
    missing: col.missingCount,
    coerced: coerced ? col.textCount : 0,
    infinite,
  };
}

/** The texts a numeric column coerced to missing, most frequent first (at most MAX_JUNK_TOKENS). */
function tokenCounts(plan: ColumnPlan): ColumnInfo['coerced_tokens'] {
  const counts = new Map<string, { reference: number; current: number }>();
  const add = (col: ParsedColumn | undefined, side: 'reference' | 'current') => {
    col?.texts.forEach((t, i) => {
      const e = counts.get(t) ?? { reference: 0, current: 0 };
      e[side] += col.textCounts[i];
      counts.set(t, e);
    });
  };
  add(plan.ref, 'reference');
  add(plan.cur, 'current');
  return [...counts]
    .map(([token, e]) => ({ token, ...e }))
    .sort((a, b) => b.reference + b.current - (a.reference + a.current))
    .slice(0, MAX_JUNK_TOKENS);
}

/** The columns section; `quality` holds each plan's profiles (in plan order), which know their infinities. */
export function describeColumns(plans: ColumnPlan[], quality: ColumnQuality[]): ColumnInfo[] {
  return plans.map((p, k) => {
    const numeric = isNumericProfile(p);
    return {
      name: p.name,
      role: p.role,
      type: p.type,
      type_source: p.typeSource,
      in_reference: !!p.ref,
      in_current: !!p.cur,
      reference: sideCounts(p.ref, p.coerceText, quality[k].ref, numeric),
      current: sideCounts(p.cur, p.coerceText, quality[k].cur, numeric),
      coerced_tokens: p.coerceText ? tokenCounts(p) : [],
    };
  });
}
