/** Words too common to say anything about an IT problem. */
const STOP_WORDS = new Set([
  'a',
  'an',
  'and',
  'are',
  'about',
  'after',
  'any',
  'at',
  'be',
  'by',
  'can',
  'do',
  'for',
  'from',
  'how',
  'i',
  'in',
  'is',
  'it',
  'its',
  'me',
  'my',
  'of',
  'on',
  'or',
  'our',
  'show',
  'the',
  'to',
  'what',
  'when',
  'which',
  'why',
  'with',
]);

/**
 * Splits free text into lower-case search words: punctuation separates words, duplicates and
 * stop words go. "Windows blue-screen issues?" gives ["windows", "blue", "screen", "issues"].
 * A query made only of stop words keeps them, so it still searches for something.
 */
export function searchWords(query: string): string[] {
  const words = query
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0);
  const meaningful = words.filter((word) => !STOP_WORDS.has(word));
  return [...new Set(meaningful.length > 0 ? meaningful : words)];
}

/**
 * Sorts by descending score and drops zero scores. Ties keep their input order, so output is
 * the same on every run.
 */
export function rankByScore<T>(items: readonly T[], score: (item: T) => number): { item: T; score: number }[] {
  return items
    .map((item, index) => ({ item, score: score(item), index }))
    .filter((entry) => entry.score > 0)
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .map(({ item, score: value }) => ({ item, score: value }));
}

/** Deep-freezes sample data so no tool can change what another call sees. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
