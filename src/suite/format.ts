/**
 * Python's number formatting, so test descriptions read exactly as Evidently's: `format(x, '.3g')`,
 * `format(x, '.3')` and `str(x)` of a float. Digits come from JavaScript's exact conversions; Python rounds
 * an exact tie to even where JavaScript rounds it up, so ties are detected and settled here.
 */

/** Significant digits (no dot) and decimal exponent of |x| rounded to `p` digits, ties to even. */
function digits(x: number, p: number): { mantissa: string; exp: number } {
  const [m, e] = x.toExponential(p - 1).split('e');
  // An exact tie ends in a 5 and then only zeros; a double that is not one differs within 17 digits.
  const [wide, wideExp] = x.toExponential(p + 19).split('e');
  const rest = wide.replace('.', '').slice(p);
  if (/^50*$/.test(rest) && Number(wide.replace('.', '')[p - 1]) % 2 === 0) {
    return { mantissa: wide.replace('.', '').slice(0, p), exp: Number(wideExp) };
  }
  return { mantissa: m.replace('.', ''), exp: Number(e) };
}

/** Python's layout of significant digits: fixed or scientific, trailing zeros dropped. */
function layout(negative: boolean, mantissa: string, exp: number, scientific: boolean, dotZero: boolean): string {
  const trimmed = mantissa.replace(/0+$/, '') || '0';
  let body: string;
  if (scientific) {
    const frac = trimmed.slice(1);
    body = `${trimmed[0]}${frac ? `.${frac}` : ''}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  } else if (exp < 0) {
    body = `0.${'0'.repeat(-exp - 1)}${trimmed}`;
  } else {
    const int = trimmed.slice(0, exp + 1).padEnd(exp + 1, '0');
    const frac = trimmed.slice(exp + 1);
    body = frac ? `${int}.${frac}` : dotZero ? `${int}.0` : int;
  }
  return negative ? `-${body}` : body;
}

function special(x: number): string | null {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return null;
}

/** `format(x, '.{p}g')`. */
export function formatG(x: number, p = 3): string {
  const s = special(x);
  if (s) return s;
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const { mantissa, exp } = digits(Math.abs(x), p);
  return layout(x < 0, mantissa, exp, exp < -4 || exp >= p, false);
}

/** `format(x, '.{p}')`: like 'g', but scientific from exponent p − 1 and at least one decimal in fixed notation. */
export function formatPrecision(x: number, p = 3): string {
  const s = special(x);
  if (s) return s;
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const { mantissa, exp } = digits(Math.abs(x), p);
  return layout(x < 0, mantissa, exp, exp < -4 || exp >= p - 1, true);
}

/** `str(x)` of a Python float: the shortest round-trip digits, scientific below 1e-4 and from 1e16. */
export function formatFloat(x: number): string {
  const s = special(x);
  if (s) return s;
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [m, e] = Math.abs(x).toExponential().split('e');
  const exp = Number(e);
  return layout(x < 0, m.replace('.', ''), exp, exp < -4 || exp >= 16, true);
}
