/**
 * "Did you mean" for names a user types (columns, presets, stat tests, monitors): a typo should cost one
 * glance at the error, not a trip to the file header.
 */

/** Optimal string alignment distance: Levenshtein plus a swap of two neighbours, the commonest typo. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * The candidates close to `name`, closest first (at most three): the same name in another case, a name it
 * begins (`Climb` for "Climb (m)"), or one a few edits away (a third of the name's length, at least one).
 */
export function closeNames(name: string, candidates: Iterable<string>): string[] {
  const wanted = name.toLowerCase();
  const limit = Math.max(1, Math.floor(wanted.length / 3));
  const scored: { c: string; score: number }[] = [];
  for (const c of new Set(candidates)) {
    const lower = c.toLowerCase();
    const score = lower === wanted ? 0 : wanted.length >= 3 && lower.startsWith(wanted) ? 0.5 : editDistance(wanted, lower);
    if (score <= limit) scored.push({ c, score });
  }
  return scored
    .sort((a, b) => a.score - b.score)
    .slice(0, 3)
    .map((s) => s.c);
}

/** `; did you mean "x"?` (or "x" or "y"?) to end an error message with, or '' when nothing is close. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const close = closeNames(name, candidates).map((c) => JSON.stringify(c));
  if (close.length === 0) return '';
  return `; did you mean ${close.length === 1 ? close[0] : `${close.slice(0, -1).join(', ')} or ${close[close.length - 1]}`}?`;
}
