import { canonicalJson } from '../cassette.ts';
import type { ContractBreak } from './contract.ts';
import { wordDiff } from './word-diff.ts';

/**
 * What kind of change made a replay fail, which says what it puts at risk:
 * - contract: a recorded call would now be refused; the recorded agent would fail (stays red);
 * - data: a tool result the model saw changed; a rebase refreshes it if the expectations hold;
 * - prompt: what the model was told changed (system prompt, a turn, a tool's description or
 *   definition); its choices may change, which only a live re-record can confirm;
 * - tools_added: a tool the recording never offered.
 */
export type DriftKind = 'contract' | 'data' | 'prompt' | 'tools_added';

/** One classified change. `change` is the same for the same change in every scenario it touches. */
export interface Drift {
  readonly kind: DriftKind;
  /** One line naming the change: `search_tickets result tickets[0].priority`, `the system prompt`. */
  readonly change: string;
  /** The evidence: a word diff, recorded vs now at the first differing path, the refused call. */
  readonly detail: string;
  readonly risk: string;
}

/** What each kind puts at risk, in the words the reports use. */
export const DRIFT_RISK: Record<DriftKind, string> = {
  contract: 'the recorded agent would now fail: the call is refused; fix the tool or the scenario (this stays red offline)',
  data: 'answers built on this result may be stale; `helpdesk eval --rebase` refreshes the cassette when the expectations still hold',
  prompt: 'the model was told something else, so its choices may change; only a live re-record can confirm them',
  tools_added: 'the model was never offered this tool; a live re-record shows whether it would now pick it',
};

const drift = (kind: DriftKind, change: string, detail: string): Drift => ({ kind, change, detail, risk: DRIFT_RISK[kind] });

/** The contract breaks of the recorded calls, one drift each. */
export function contractDrifts(breaks: readonly ContractBreak[]): Drift[] {
  return breaks.map((b) => drift('contract', `${b.tool} refuses a recorded call: ${b.problem.replace(/ \(schema [^)]*\)$/, '')}`, `${b.call}: ${b.problem}`));
}

type ToolDef = { function?: { name?: string; description?: string; parameters?: unknown } };

function byName(tools: unknown): Map<string, ToolDef> {
  return new Map(((Array.isArray(tools) ? tools : []) as ToolDef[]).map((t) => [t.function?.name ?? '?', t]));
}

/** Every `description` in a schema, by path, to word-diff what the model reads. */
function descriptions(value: unknown, path: string, into: Map<string, string>): Map<string, string> {
  if (Array.isArray(value)) value.forEach((v, i) => descriptions(v, `${path}[${i}]`, into));
  else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if ((key === 'description' || key === 'title') && typeof child === 'string') into.set(`${path}.${key}`.replace(/^\./, ''), child);
      else descriptions(child, `${path}.${key}`, into);
    }
  }
  return into;
}

/** A schema without its descriptions and titles: what changes the contract rather than the wording. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([key, v]) => !((key === 'description' || key === 'title') && typeof v === 'string')).map(([k, v]) => [k, shape(v)]));
  }
  return value;
}

/**
 * How the tools offered changed since the recording: tools added, tools no longer offered,
 * reworded descriptions (a word diff per text) and changed definitions. Contract breaks of the
 * recorded calls are found apart (contract.ts); a definition change that breaks no call is a
 * change of what the model was told.
 */
export function toolDrifts(recordedTools: unknown, currentTools: unknown, breaks: readonly ContractBreak[]): Drift[] {
  const before = byName(recordedTools);
  const after = byName(currentTools);
  const drifts: Drift[] = [];
  for (const [name, tool] of after) {
    if (!before.has(name)) drifts.push(drift('tools_added', `tool ${name} added`, tool.function?.description ?? ''));
  }
  for (const [name, then] of before) {
    const now = after.get(name);
    if (!now) {
      if (!breaks.some((b) => b.tool === name)) drifts.push(drift('prompt', `tool ${name} no longer offered`, 'no recorded call used it'));
      continue;
    }
    if (canonicalJson(then) === canonicalJson(now)) continue;
    const old = descriptions(then.function?.parameters, 'parameters', new Map([['description', then.function?.description ?? '']]));
    const fresh = descriptions(now.function?.parameters, 'parameters', new Map([['description', now.function?.description ?? '']]));
    for (const path of new Set([...old.keys(), ...fresh.keys()])) {
      // A description that came or went with its argument is part of the definition change below.
      if (old.get(path) === fresh.get(path) || !old.has(path) || !fresh.has(path)) continue;
      drifts.push(drift('prompt', `${name} ${path === 'description' ? 'description' : path} reworded`, wordDiff(old.get(path) ?? '', fresh.get(path) ?? '')));
    }
    if (canonicalJson(shape(then.function?.parameters)) !== canonicalJson(shape(now.function?.parameters)) && !breaks.some((b) => b.tool === name)) {
      drifts.push(drift('prompt', `${name} definition changed`, firstPath(shape(then.function?.parameters), shape(now.function?.parameters), 'parameters') ?? 'parameters changed'));
    }
  }
  return drifts;
}

/** A value as the reports show it: whole when short, else a window around `at`. */
function around(text: string, at: number, width = 80): string {
  if (text.length <= width * 2 + 20) return text;
  const start = Math.max(0, at - width);
  return `${start > 0 ? '…' : ''}${text.slice(start, at + width)}${at + width < text.length ? '…' : ''}`;
}

function firstCharDiff(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i += 1;
  return i;
}

/** Where two JSON values first differ, and both values there (whole when short, else around the change). */
export interface JsonDifference {
  readonly path: string;
  readonly recorded: string;
  readonly now: string;
}

/** The first path where two JSON values differ, or undefined when they are equal. */
export function firstDiff(recorded: unknown, now: unknown, path = ''): JsonDifference | undefined {
  if (canonicalJson(recorded) === canonicalJson(now)) return undefined;
  if (recorded && now && typeof recorded === 'object' && typeof now === 'object' && Array.isArray(recorded) === Array.isArray(now)) {
    const keys = [...new Set([...Object.keys(recorded), ...Object.keys(now)])];
    for (const key of keys) {
      const childPath = Array.isArray(recorded) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
      const child = firstDiff((recorded as Record<string, unknown>)[key], (now as Record<string, unknown>)[key], childPath);
      if (child) return child;
    }
  }
  const a = JSON.stringify(recorded) ?? 'nothing';
  const b = JSON.stringify(now) ?? 'nothing';
  const at = firstCharDiff(a, b);
  return { path: path || '(whole value)', recorded: around(a, at), now: around(b, at) };
}

/** `path: recorded …, now …` for a report line. */
export function firstPath(recorded: unknown, now: unknown, path = ''): string | undefined {
  const d = firstDiff(recorded, now, path);
  return d && `${d.path}: recorded ${d.recorded}, now ${d.now}`;
}

type Message = { role?: string; content?: unknown; tool_call_id?: string; tool_calls?: { id?: string; function?: { name?: string; arguments?: string } }[] };

function parsed(text: unknown): unknown {
  if (typeof text !== 'string') return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Which call a tool message answers, from the assistant message that made it. */
function callOf(messages: readonly Message[], id: string | undefined): string {
  for (const message of messages) {
    const call = message.tool_calls?.find((c) => c.id === id);
    if (call) return `${call.function?.name ?? '?'}(${call.function?.arguments ?? ''})`;
  }
  return `call ${id ?? '?'}`;
}

/**
 * Classifies how one model request differs from the recorded one, message by message: the system
 * prompt or a user turn (prompt, as a word diff), a tool result (data: the call and the first
 * differing JSON path). Anything else — a different number or order of messages, another model
 * name — is left unclassified (an empty list).
 */
export function requestDrifts(recorded: unknown, now: unknown): Drift[] {
  const before = ((recorded as { messages?: Message[] })?.messages ?? []);
  const after = ((now as { messages?: Message[] })?.messages ?? []);
  if (before.length !== after.length || before.some((m, i) => m.role !== after[i]?.role)) return [];
  const drifts: Drift[] = [];
  for (const [i, then] of before.entries()) {
    const current = after[i] as Message;
    if (canonicalJson(then) === canonicalJson(current)) continue;
    if ((then.role === 'system' || then.role === 'user') && typeof then.content === 'string' && typeof current.content === 'string') {
      drifts.push(drift('prompt', then.role === 'system' ? 'the system prompt' : `user turn "${around(then.content, 0, 40)}"`, wordDiff(then.content, current.content)));
    } else if (then.role === 'tool' && then.tool_call_id === current.tool_call_id) {
      const call = callOf(before, then.tool_call_id);
      const d = firstDiff(parsed(then.content), parsed(current.content));
      if (!d) continue;
      // Named by the field (list positions dropped) and the values, so the same data change reads as
      // one change in every scenario and call that saw it; the detail keeps this call's exact path.
      const field = d.path.replace(/\[\d+\]/g, '[]');
      drifts.push(drift('data', `${call.replace(/\(.*$/, '')} result ${field}: ${d.recorded} → ${d.now}`, `${call} → ${d.path}: recorded ${d.recorded}, now ${d.now}`));
    } else {
      return [];
    }
  }
  const rest = { ...(recorded as object), messages: undefined, tools: undefined };
  const restNow = { ...(now as object), messages: undefined, tools: undefined };
  return canonicalJson(rest) === canonicalJson(restNow) ? drifts : [];
}
