import { formatG } from './format.js';

/** Evidently's `approx(value, relative, absolute)`: tolerance max(|value|·relative, absolute). */
export interface Approx {
  value: number;
  relative: number;
  absolute: number;
}

export const APPROX_RELATIVE = 1e-6;
export const APPROX_ABSOLUTE = 1e-12;

export function approx(value: number, relative = APPROX_RELATIVE, absolute = APPROX_ABSOLUTE): Approx {
  return { value, relative, absolute };
}

export type Bound = number | Approx;
export type ListItem = number | string | boolean;

/** The comparison operators of Evidently's TestValueCondition, combined with AND. */
export interface Condition {
  eq?: Bound;
  gt?: Bound;
  gte?: Bound;
  lt?: Bound;
  lte?: Bound;
  not_eq?: Bound;
  is_in?: ListItem[];
  not_in?: ListItem[];
}

export const OPERATORS = ['eq', 'gt', 'gte', 'lt', 'lte', 'not_eq', 'is_in', 'not_in'] as const;

const isApprox = (b: Bound): b is Approx => typeof b === 'object';
const tolerance = (a: Approx) => Math.max(Math.abs(a.value) * a.relative, a.absolute);

/** `x == approx(v)` is v − tol ≤ x ≤ v + tol; the orderings compare against the near or far edge (spec §6.1). */
function compare(op: 'eq' | 'gt' | 'gte' | 'lt' | 'lte' | 'not_eq', x: number, bound: Bound): boolean {
  const tol = isApprox(bound) ? tolerance(bound) : 0;
  const v = isApprox(bound) ? bound.value : bound;
  switch (op) {
    case 'eq':
      return x >= v - tol && x <= v + tol;
    case 'not_eq':
      return !(x >= v - tol && x <= v + tol);
    case 'gt':
      return x > v + tol;
    case 'gte':
      return x >= v - tol;
    case 'lt':
      return x < v - tol;
    case 'lte':
      return x <= v + tol;
  }
}

export function hasCondition(c: Condition): boolean {
  return OPERATORS.some((op) => c[op] !== undefined);
}

/** Whether `x` satisfies every operator of the condition. */
export function check(c: Condition, x: number): boolean {
  return OPERATORS.every((op) => {
    const bound = c[op];
    if (bound === undefined) return true;
    if (op === 'is_in') return (bound as ListItem[]).includes(x);
    if (op === 'not_in') return !(bound as ListItem[]).includes(x);
    return compare(op, x, bound as Bound);
  });
}

/**
 * Evidently's condition text: `op=value` joined by " and ", integers as written, other numbers with `.3g`,
 * approximate values as `value ± tolerance`.
 */
export function describeCondition(c: Condition): string {
  const show = (b: Bound | ListItem[]): string => {
    if (Array.isArray(b)) return `[${b.map((v) => (typeof v === 'string' ? `'${v}'` : typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v))).join(', ')}]`;
    if (isApprox(b)) return `${formatG(b.value)} ± ${formatG(tolerance(b))}`;
    return Number.isInteger(b) ? String(b) : formatG(b);
  };
  return OPERATORS.filter((op) => c[op] !== undefined).map((op) => `${op}=${show(c[op]!)}`).join(' and ');
}
