/**
 * A word diff of two texts: the words both share as they are, removed runs as `[-…-]` and added
 * runs as `{+…+}`, with long unchanged stretches cut to a few words of context on each side.
 */
export function wordDiff(before: string, after: string, context = 6): string {
  const a = before.split(/(\s+)/).filter((t) => t !== '');
  const b = after.split(/(\s+)/).filter((t) => t !== '');
  const ops = diffTokens(a, b);
  const parts: string[] = [];
  let equal: string[] = [];
  const flushEqual = (last: boolean) => {
    const first = parts.length === 0;
    const words = equal;
    equal = [];
    if (first && last) return parts.push(words.join(''));
    const keep = context * 2; // tokens: a word and the space after it
    if (words.length <= keep * (first || last ? 1 : 2)) return parts.push(words.join(''));
    const head = first ? [] : words.slice(0, keep);
    const tail = last ? [] : words.slice(-keep);
    return parts.push(`${head.join('')}…${tail.join('')}`);
  };
  let removed: string[] = [];
  let added: string[] = [];
  const flushChange = () => {
    const space = (t: string | undefined) => t !== undefined && /^\s+$/.test(t);
    if (space(removed[0]) || space(added[0])) parts.push(' ');
    if (removed.join('').trim()) parts.push(`[-${removed.join('').trim()}-]`);
    if (added.join('').trim()) parts.push(`{+${added.join('').trim()}+}`);
    if (space(removed.at(-1)) || space(added.at(-1))) parts.push(' ');
    removed = [];
    added = [];
  };
  for (const op of ops) {
    if (op.kind === 'equal') {
      flushChange();
      equal.push(op.token);
    } else {
      if (equal.length) flushEqual(false);
      (op.kind === 'removed' ? removed : added).push(op.token);
    }
  }
  flushChange();
  if (equal.length) flushEqual(true);
  return parts.join('').replace(/ {2,}/g, ' ').trim();
}

/** One step of a token diff: a token both lists share, or one only the first (removed) or the second (added) has. */
export type Op = { kind: 'equal' | 'removed' | 'added'; token: string };

/** The shortest edit between two token lists (LCS by dynamic programming; texts here are short). */
export function diffTokens(a: readonly string[], b: readonly string[]): Op[] {
  // Common prefix and suffix first: most edits are small, so the table stays tiny.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start += 1;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA -= 1;
    endB -= 1;
  }
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  const rows = midA.length + 1;
  const cols = midB.length + 1;
  const table = new Uint32Array(rows * cols);
  for (let i = midA.length - 1; i >= 0; i -= 1) {
    for (let j = midB.length - 1; j >= 0; j -= 1) {
      table[i * cols + j] =
        midA[i] === midB[j]
          ? (table[(i + 1) * cols + j + 1] as number) + 1
          : Math.max(table[(i + 1) * cols + j] as number, table[i * cols + j + 1] as number);
    }
  }
  const ops: Op[] = a.slice(0, start).map((token) => ({ kind: 'equal', token }));
  let i = 0;
  let j = 0;
  while (i < midA.length || j < midB.length) {
    if (i < midA.length && j < midB.length && midA[i] === midB[j]) {
      ops.push({ kind: 'equal', token: midA[i] as string });
      i += 1;
      j += 1;
    } else if (j < midB.length && (i === midA.length || (table[i * cols + j + 1] as number) >= (table[(i + 1) * cols + j] as number))) {
      ops.push({ kind: 'added', token: midB[j] as string });
      j += 1;
    } else {
      ops.push({ kind: 'removed', token: midA[i] as string });
      i += 1;
    }
  }
  return [...ops, ...a.slice(endA).map((token) => ({ kind: 'equal' as const, token }))];
}
