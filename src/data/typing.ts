import type { ParsedColumn, ParsedTable } from '../io/csv/types.js';
import { InputError, UsageError } from '../errors.js';
import type { ColumnInfo, ReportWarning } from '../report/model.js';
import type { ColumnRoles } from './roles.js';
import { didYouMean } from '../suggest.js';
import { originOf, type Origins } from '../origins.js';

export type Role = ColumnInfo['role'];
export type Type = ColumnInfo['type'];

/** One column as the analysis sees it: its role and type, decided once for both files. */
export interface ColumnPlan {
  name: string;
  role: Role;
  type: Type;
  typeSource: ColumnInfo['type_source'];
  ref?: ParsedColumn;
  cur?: ParsedColumn;
  /** Numeric columns: text cells are not values (they were read as NaN) and are counted as coerced. */
  coerceText: boolean;
}

export interface TypingResult {
  plans: ColumnPlan[];
  task: 'classification' | 'regression' | null;
  warnings: ReportWarning[];
}

/**
 * A column whose cells are numbers except for a few stray tokens ("?", "n/a", "-") is numeric: at most this
 * share of its non-missing cells (both files pooled), and at most MAX_JUNK_TOKENS distinct tokens.
 */
export const JUNK_SHARE = 0.05;
export const MAX_JUNK_TOKENS = 10;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function nonMissing(col: ParsedColumn | undefined): number {
  return col ? col.numericCount + col.textCount : 0;
}

function distinctTexts(ref?: ParsedColumn, cur?: ParsedColumn): Set<string> {
  const s = new Set<string>();
  for (const c of [ref, cur]) if (c) c.texts.forEach((t, i) => c.textCounts[i] > 0 && s.add(t));
  return s;
}

/** Inferred type of a column that nobody declared: see docs/compatibility.md "Column typing". */
function inferType(ref?: ParsedColumn, cur?: ParsedColumn): Type {
  const numeric = (ref?.numericCount ?? 0) + (cur?.numericCount ?? 0);
  const text = (ref?.textCount ?? 0) + (cur?.textCount ?? 0);
  if (numeric === 0 && text === 0) return 'unknown';
  if (text === 0) return 'num';
  const texts = distinctTexts(ref, cur);
  if (numeric > 0 && text <= JUNK_SHARE * (numeric + text) && texts.size <= MAX_JUNK_TOKENS) return 'num';
  if (numeric === 0 && [...texts].every((t) => ISO_DATE.test(t))) return 'datetime';
  return 'cat';
}

/** Every reference row distinct (and enough rows for that to mean something): an ID, not a category. */
function looksLikeIdentifier(col: ParsedColumn): boolean {
  return col.numericCount === 0 && col.textCount >= 20 && col.texts.length === col.textCount;
}

function distinctNumbers(cols: (ParsedColumn | undefined)[], limit: number): { count: number; min: number; max: number; floats: boolean } {
  const seen = new Set<number>();
  let min = Infinity;
  let max = -Infinity;
  let floats = false;
  for (const c of cols) {
    if (!c) continue;
    if (!c.integerLiterals || c.missingCount > 0) floats = true;
    const v = c.numbers;
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (Number.isNaN(x)) continue;
      if (x < min) min = x;
      if (x > max) max = x;
      if (seen.size <= limit) seen.add(x);
    }
  }
  return { count: seen.size, min, max, floats };
}

function nuniqueRef(col: ParsedColumn | undefined, limit: number): number {
  if (!col) return 0;
  return distinctNumbers([col], limit).count + col.texts.filter((_, i) => col.textCounts[i] > 0).length;
}

function requireColumn(name: string, what: string, ref: ParsedTable, cur: ParsedTable, refCols: Map<string, ParsedColumn>, curCols: Map<string, ParsedColumn>) {
  const missingIn = [!refCols.has(name) && ref.path, !curCols.has(name) && cur.path].filter(Boolean);
  if (missingIn.length) {
    const names = (!refCols.has(name) ? refCols : curCols).keys();
    throw new InputError({ file: missingIn.join(' and '), column: name }, `the ${what} column is not in the file${didYouMean(name, names)}`);
  }
}

/**
 * Decides every column's role and type from the user's declarations and both files at once, so a column
 * always has the same type on both sides.
 */
export function planColumns(ref: ParsedTable, cur: ParsedTable, roles: ColumnRoles, origins?: Origins): TypingResult {
  const refCols = new Map(ref.columns.map((c) => [c.name, c]));
  const curCols = new Map(cur.columns.map((c) => [c.name, c]));
  const warnings: ReportWarning[] = [];
  const names = [...ref.columns.map((c) => c.name), ...cur.columns.filter((c) => !refCols.has(c.name)).map((c) => c.name)];
  const known = new Set(names);
  if (!ref.columns.some((c) => curCols.has(c.name))) {
    throw new InputError({ file: `${ref.path} and ${cur.path}` }, 'the two files have no column name in common');
  }

  const declared = new Map<string, { role?: Role; type?: Type; source: string }>();
  const declare = (list: string[] | undefined, path: string, entry: { role?: Role; type?: Type }) => {
    const flag = originOf(origins, path);
    for (const name of list ?? []) {
      if (!known.has(name)) throw new UsageError(`${flag} names column "${name}", which is in neither file${didYouMean(name, known)}`);
      const prev = declared.get(name);
      if (prev && (prev.role !== entry.role || prev.type !== entry.type)) {
        throw new UsageError(`column "${name}" is given both ${prev.source} and ${flag}`);
      }
      declared.set(name, { ...entry, source: flag });
    }
  };
  declare(roles.ignore, 'columns.ignore', { role: 'ignored' });
  declare(roles.id, 'columns.id', { role: 'id' });
  declare(roles.datetime, 'columns.datetime', { role: 'datetime', type: 'datetime' });
  declare(roles.numerical, 'columns.numerical', { type: 'num' });
  declare(roles.categorical, 'columns.categorical', { type: 'cat' });

  // Evidently's ColumnMapping defaults: columns literally named target / prediction / datetime take those roles.
  const target = roles.target ?? (refCols.has('target') && curCols.has('target') && !declared.has('target') ? 'target' : undefined);
  let prediction = roles.prediction;
  if (!prediction && refCols.has('prediction') && curCols.has('prediction') && !declared.has('prediction')) prediction = ['prediction'];
  if (target) requireColumn(target, 'target', ref, cur, refCols, curCols);
  for (const p of prediction ?? []) requireColumn(p, 'prediction', ref, cur, refCols, curCols);
  if (!roles.datetime && refCols.has('datetime') && curCols.has('datetime') && !declared.has('datetime')) {
    declared.set('datetime', { role: 'datetime', type: 'datetime', source: 'default' });
  }

  let task = roles.task ?? null;
  if (!task && target) {
    // Evidently's legacy recognize_task: a numeric target with at least 5 distinct values is regression.
    const t = refCols.get(target)!;
    task = t.textCount === 0 && t.numericCount > 0 && nuniqueRef(t, 5) >= 5 ? 'regression' : 'classification';
  }

  const plans: ColumnPlan[] = [];
  for (const name of names) {
    const r = refCols.get(name);
    const c = curCols.get(name);
    const decl = declared.get(name);
    let role: Role = decl?.role ?? 'feature';
    let type: Type;
    let typeSource: ColumnInfo['type_source'] = decl?.type ? 'declared' : 'inferred';
    if (name === target) {
      role = 'target';
      type = task === 'regression' ? 'num' : 'cat';
      typeSource = 'role';
      if (type === 'num' && (r?.textCount ?? 0) + (c?.textCount ?? 0) > 0 && inferType(r, c) !== 'num') {
        throw new InputError({ file: (r?.textCount ? ref.path : cur.path), line: (r?.textCount ? r.firstTextLine : c!.firstTextLine), column: name }, 'a regression target must be numeric');
      }
    } else if (prediction?.includes(name)) {
      if (prediction.length > 1) {
        role = 'prediction_proba';
        type = 'num';
        typeSource = 'role';
      } else {
        role = 'prediction';
        typeSource = 'role';
        // Evidently: a float prediction within [0, 1] is a probability (num) even for classification.
        const inferred = inferType(r, c);
        const stats = inferred === 'num' ? distinctNumbers([r, c], 0) : undefined;
        type = task === 'regression' || (stats && stats.floats && stats.min >= 0 && stats.max <= 1) ? 'num' : 'cat';
      }
    } else {
      type = decl?.type ?? inferType(r, c);
      if (type === 'datetime' && role === 'feature') role = 'datetime';
    }
    if (role === 'feature' && (!r || !c)) {
      warnings.push({ code: 'column_in_one_file', column: name, message: `column "${name}" is only in the ${r ? 'reference' : 'current'} file; it is not analysed` });
    }
    if (role === 'feature' && type === 'unknown' && r && c) {
      warnings.push({ code: 'column_all_missing', column: name, message: `column "${name}" has no values in either file` });
    }
    if (role === 'feature' && type === 'cat' && r && c) {
      const numericOnly = (col: ParsedColumn) => col.textCount === 0 && col.numericCount > 0;
      if (numericOnly(r) !== numericOnly(c) && typeSource === 'inferred') {
        const [numSide, textSide] = numericOnly(r) ? ['reference', 'current'] : ['current', 'reference'];
        warnings.push({ code: 'type_mismatch', column: name, message: `column "${name}" holds only numbers in the ${numSide} file but text in the ${textSide} file; it is compared as categorical` });
      }
      if (looksLikeIdentifier(r)) {
        warnings.push({ code: 'identifier_like', column: name, message: `column "${name}" has a different value in every reference row; if it is an identifier, pass --id "${name}"` });
      }
    }
    const coerceText = type === 'num';
    if (coerceText && typeSource === 'inferred' && ((r?.textCount ?? 0) + (c?.textCount ?? 0)) > 0) {
      const tokens = [...distinctTexts(r, c)].slice(0, MAX_JUNK_TOKENS).map((t) => JSON.stringify(t)).join(', ');
      warnings.push({ code: 'non_numeric_tokens', column: name, message: `column "${name}" is numeric; its non-numeric cells (${tokens}) are treated as missing in both files` });
    }
    if (type === 'num' && typeSource === 'declared' && nonMissing(r) + nonMissing(c) > 0 && (r?.numericCount ?? 0) + (c?.numericCount ?? 0) === 0) {
      throw new InputError({ file: r ? ref.path : cur.path, column: name }, 'declared numerical, but no cell is a number');
    }
    plans.push({ name, role, type, typeSource, ref: r, cur: c, coerceText });
  }
  return { plans, task, warnings };
}
