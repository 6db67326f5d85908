import { canonicalJson } from './cassette.ts';
import { diffTokens } from './word-diff.ts';

/**
 * Where two JSON values first differ, read as a person would describe the change:
 * - changed: a value at a path (both shown whole when short, else around the change);
 * - renamed: a key removed and a key added with the same value in the same object;
 * - list: items inserted, removed or moved in a list whose items keep their identity (an ID).
 */
export type JsonDifference =
  | { readonly kind: 'changed'; readonly path: string; readonly recorded: string; readonly now: string }
  | { readonly kind: 'renamed'; readonly path: string; readonly to: string; readonly value: string }
  | {
      readonly kind: 'list';
      readonly path: string;
      readonly items: readonly ListItemChange[];
      readonly recordedLength: number;
      readonly nowLength: number;
    };

/** One item of a list that is not where it was: its label (its ID) and its positions. */
export interface ListItemChange {
  readonly change: 'inserted' | 'removed' | 'moved';
  readonly item: string;
  readonly from?: number;
  readonly to?: number;
}

/** A value as the reports show it: whole when short, else a window around `at`. */
export function around(text: string, at: number, width = 80): string {
  if (text.length <= width * 2 + 20) return text;
  const start = Math.max(0, at - width);
  return `${start > 0 ? '…' : ''}${text.slice(start, at + width)}${at + width < text.length ? '…' : ''}`;
}

function firstCharDiff(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i += 1;
  return i;
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** Keys removed and added with the same value: renamed, when the value names one key on each side. */
export function renamedKeys(recorded: Record<string, unknown>, now: Record<string, unknown>): Map<string, string> {
  const removed = Object.keys(recorded).filter((k) => !Object.hasOwn(now, k));
  const added = Object.keys(now).filter((k) => !Object.hasOwn(recorded, k));
  const renames = new Map<string, string>();
  for (const key of removed) {
    const value = canonicalJson(recorded[key]);
    const same = (side: Record<string, unknown>, keys: string[]) => keys.filter((k) => canonicalJson(side[k]) === value);
    const targets = same(now, added);
    if (targets.length === 1 && same(recorded, removed).length === 1) renames.set(key, targets[0] as string);
  }
  return renames;
}

const ID_KEY = /(^|_)id$/;

/** What keeps a list item's identity (its first ID-like field, else its whole value), and its label. */
function identity(item: unknown): { key: string; label: string; rest?: string } {
  if (isObject(item)) {
    for (const [k, v] of Object.entries(item)) {
      if (!ID_KEY.test(k) || (typeof v !== 'string' && typeof v !== 'number')) continue;
      const { [k]: _id, ...rest } = item;
      return { key: `${k}=${JSON.stringify(v)}`, label: String(v), rest: canonicalJson(rest) };
    }
  }
  const text = canonicalJson(item) ?? 'nothing';
  return { key: text, label: text.length > 60 ? `${text.slice(0, 59)}…` : text };
}

/** Two items at one position are one item changed in place: no ID, or everything but the ID the same. */
const changedInPlace = (a: { key: string; rest?: string }, b: { key: string; rest?: string }) =>
  a.key === b.key || a.rest === undefined || a.rest === b.rest;

/** Past this many item pairs a list is compared item by item (the diff table grows as their product). */
const LIST_DIFF_MAX_PAIRS = 1_000_000;

/**
 * How a list's items moved, when they did: items inserted, removed or moved by identity. Undefined
 * when the identities are where they were (an item changed in place is a changed value, not a move).
 */
function listChanges(recorded: readonly unknown[], now: readonly unknown[]): ListItemChange[] | undefined {
  if (recorded.length * now.length > LIST_DIFF_MAX_PAIRS) return undefined;
  const a = recorded.map(identity);
  const b = now.map(identity);
  const ops = diffTokens(
    a.map((x) => x.key),
    b.map((x) => x.key),
  );
  const kept = ops.filter((op) => op.kind === 'equal').length;
  const inPlace = a.filter((x, i) => x.key === b[i]?.key).length;
  // Same length, nothing kept beyond the positional matches, and each other item the same but for
  // its ID: values changed in place, not items shifted or replaced.
  if (a.length === b.length && kept <= inPlace && a.every((x, i) => changedInPlace(x, b[i] as { key: string }))) return undefined;
  const removed: { key: string; item: string; from: number }[] = [];
  const added: { key: string; item: string; to: number }[] = [];
  let i = 0;
  let j = 0;
  for (const op of ops) {
    if (op.kind === 'equal') {
      i += 1;
      j += 1;
      continue;
    }
    if (op.kind === 'removed') removed.push({ key: op.token, item: (a[i] as { label: string }).label, from: i++ });
    else added.push({ key: op.token, item: (b[j] as { label: string }).label, to: j++ });
  }
  // An item removed in one place and added in another moved.
  const changes: ListItemChange[] = [];
  for (const item of added) {
    const was = removed.findIndex((r) => r.key === item.key);
    if (was < 0) changes.push({ change: 'inserted', item: item.item, to: item.to });
    else changes.push({ change: 'moved', item: item.item, from: (removed.splice(was, 1)[0] as { from: number }).from, to: item.to });
  }
  return [...changes, ...removed.map((r) => ({ change: 'removed' as const, item: r.item, from: r.from }))];
}

/**
 * How a difference is read: `described` as a person tells a change (a renamed key, list items
 * inserted, removed or moved), `exact` at the first path where the values differ (replay's
 * request check, which shows what a request no longer matches).
 */
export type DiffReading = 'described' | 'exact';

/** A difference as the walk finds it: for a changed value, `recorded` and `now` are both values' whole JSON text. */
type Found = JsonDifference;

/** The first path where two JSON values differ, or undefined when they are equal. */
export function firstDiff(recorded: unknown, now: unknown, path = '', reading: DiffReading = 'described'): JsonDifference | undefined {
  const found = walk(recorded, now, path, reading);
  if (found?.kind !== 'changed') return found;
  const at = firstCharDiff(found.recorded, found.now);
  return { ...found, recorded: around(found.recorded, at), now: around(found.now, at) };
}

function walk(recorded: unknown, now: unknown, path: string, reading: DiffReading): Found | undefined {
  if (canonicalJson(recorded) === canonicalJson(now)) return undefined;
  if (reading === 'described' && Array.isArray(recorded) && Array.isArray(now)) {
    const items = listChanges(recorded, now);
    if (items) return { kind: 'list', path: path || '(whole value)', items, recordedLength: recorded.length, nowLength: now.length };
  }
  if (recorded && now && typeof recorded === 'object' && typeof now === 'object' && Array.isArray(recorded) === Array.isArray(now)) {
    const renames = reading === 'described' && isObject(recorded) && isObject(now) ? renamedKeys(recorded, now) : new Map<string, string>();
    const renamedTo = new Set(renames.values());
    for (const key of new Set([...Object.keys(recorded), ...Object.keys(now)])) {
      const childPath = Array.isArray(recorded) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
      const to = renames.get(key);
      if (to !== undefined) {
        const value = JSON.stringify((recorded as Record<string, unknown>)[key]) ?? 'nothing';
        return { kind: 'renamed', path: childPath, to, value: value.length > 80 ? `${value.slice(0, 79)}…` : value };
      }
      if (renamedTo.has(key)) continue;
      const child = walk((recorded as Record<string, unknown>)[key], (now as Record<string, unknown>)[key], childPath, reading);
      if (child) return child;
    }
  }
  return {
    kind: 'changed',
    path: path || '(whole value)',
    recorded: JSON.stringify(recorded) ?? 'nothing',
    now: JSON.stringify(now) ?? 'nothing',
  };
}

const clip = (text: string, max = 160) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** The first place two JSON values differ, exactly, as "path: recorded … / now …" (replay's diff); undefined when equal. */
export function firstDifference(recorded: unknown, now: unknown): string | undefined {
  const d = walk(recorded, now, '', 'exact');
  if (d?.kind !== 'changed') return undefined;
  return `${d.path === '(whole value)' ? '(root)' : d.path}:\n    recorded: ${clip(d.recorded)}\n    now:      ${clip(d.now)}`;
}

/** The items of a list difference, as a report names them: `TKT-1016 inserted, TKT-1006 removed`. */
export function listSummary(items: readonly ListItemChange[]): string {
  return items.map((c) => `${c.item} ${c.change}`).join(', ');
}

/** A difference at its exact path with the evidence: `tickets: TKT-1016 inserted at [1] (2 items recorded, 3 now)`. */
export function describeDiff(d: JsonDifference): string {
  switch (d.kind) {
    case 'changed':
      return `${d.path}: recorded ${d.recorded}, now ${d.now}`;
    case 'renamed':
      return `${d.path} renamed ${d.to} (same value ${d.value})`;
    case 'list': {
      const where = d.items.map((c) =>
        c.change === 'inserted'
          ? `${c.item} inserted at [${c.to}]`
          : c.change === 'removed'
            ? `${c.item} removed from [${c.from}]`
            : `${c.item} moved from [${c.from}] to [${c.to}]`,
      );
      return `${d.path}: ${where.join(', ')} (${d.recordedLength} items recorded, ${d.nowLength} now)`;
    }
  }
}

/** `path: recorded …, now …` (or the rename, or the list's items) for a report line. */
export function firstPath(recorded: unknown, now: unknown, path = ''): string | undefined {
  const d = firstDiff(recorded, now, path);
  return d && describeDiff(d);
}
