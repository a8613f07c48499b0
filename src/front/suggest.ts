// "Did you mean …": the closest known word by edit distance, when it is close enough to be a likely typo.

/** Levenshtein distance (insert, delete, substitute; each costs 1). Two rows of numbers, reused across calls:
 * 50,000 unknown statements are measured against every keyword, and allocating rows per call was most of it. */
export function editDistance(a: string, b: string): number {
  let previous = rowA;
  let current = rowB;
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const substitute = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, substitute);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length]!;
}
const rowA: number[] = [];
const rowB: number[] = [];

/** The candidate closest to `word` within max(1, ⌊len/3⌋) edits (ties: the earlier candidate), or null. */
export function closest(word: string, candidates: Iterable<string>): string | null {
  const limit = Math.max(1, Math.floor(word.length / 3));
  const lower = word.toLowerCase();
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    // The distance is at least the difference in length: a candidate that cannot come within the limit is
    // skipped unmeasured (a 1 MB unknown word took seconds against the 19 keywords).
    const other = candidate.toLowerCase();
    if (Math.abs(lower.length - other.length) > limit) continue;
    const d = editDistance(lower, other);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : null;
}

/** "did you mean `lr`?" or a list of what is allowed. */
export function suggestion(word: string, candidates: readonly string[], what: string): string {
  const near = closest(word, candidates);
  if (near !== null) return `did you mean \`${near}\`?`;
  return candidates.length === 0 ? `it takes no ${what}` : `${what}: ${candidates.map((c) => `\`${c}\``).join(", ")}`;
}
