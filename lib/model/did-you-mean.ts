/**
 * "Did you mean" suggestions for config errors: the candidate closest to a misspelt value by edit
 * distance, compared case-insensitively, or `undefined` when nothing is close enough to help.
 *
 * Bounded: the edit distance is at least the difference in length, so candidates too short or too
 * long are skipped without comparing, and a value longer than any candidate by more than
 * `maxDistance` (a 10,000-character time zone) costs nothing.
 */

/** Values longer than this are never misspellings of a name; no suggestion is computed. */
export const MAX_SUGGESTION_INPUT = 128;

export function closestName(value: string, candidates: Iterable<string>, maxDistance: number): string | undefined {
  if (value.length > MAX_SUGGESTION_INPUT) return undefined;
  let best: string | undefined;
  let bestDistance = maxDistance + 1;
  const wanted = value.toLowerCase();
  for (const candidate of candidates) {
    if (Math.abs(candidate.length - wanted.length) >= bestDistance) continue;
    const d = editDistance(wanted, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** Levenshtein distance (insert, delete, substitute: 1 each). */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}
