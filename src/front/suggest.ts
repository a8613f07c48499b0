// "Did you mean …": the closest known word by edit distance, when it is close enough to be a likely typo.

/** Levenshtein distance (insert, delete, substitute; each costs 1). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitute = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitute));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** The candidate closest to `word` within max(1, ⌊len/3⌋) edits (ties: the earlier candidate), or null. */
export function closest(word: string, candidates: Iterable<string>): string | null {
  const limit = Math.max(1, Math.floor(word.length / 3));
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
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
