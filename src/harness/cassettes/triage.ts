import { canonicalJson } from './cassette.ts';
import { schemaShape, type ContractBreak } from './contract.ts';
import { around, describeDiff, firstDiff, firstPath, listSummary, type JsonDifference } from './json-diff.ts';
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
  return breaks.map((b) =>
    drift('contract', `${b.tool} refuses a recorded call: ${b.problem.replace(/ \(schema [^)]*\)$/, '')}`, `${b.call}: ${b.problem}`),
  );
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
      drifts.push(
        drift(
          'prompt',
          `${name} ${path === 'description' ? 'description' : path} reworded`,
          wordDiff(old.get(path) ?? '', fresh.get(path) ?? ''),
        ),
      );
    }
    if (
      canonicalJson(schemaShape(then.function?.parameters)) !== canonicalJson(schemaShape(now.function?.parameters)) &&
      !breaks.some((b) => b.tool === name)
    ) {
      drifts.push(
        drift(
          'prompt',
          `${name} definition changed`,
          firstPath(schemaShape(then.function?.parameters), schemaShape(now.function?.parameters), 'parameters') ?? 'parameters changed',
        ),
      );
    }
  }
  return drifts;
}

/**
 * A data change named by the field (list positions dropped) and what happened to it, so the same
 * change reads as one in every scenario and call that saw it: the values of a changed field, the new
 * name of a renamed one (whatever its value), the items of a list that shifted.
 */
function dataChange(d: JsonDifference): string {
  const field = d.path.replace(/\[\d+\]/g, '[]');
  switch (d.kind) {
    case 'changed':
      return `${field}: ${d.recorded} → ${d.now}`;
    case 'renamed':
      return `${field} renamed ${d.to}`;
    case 'list':
      return `${field === '(whole value)' ? '' : field}[]: ${listSummary(d.items)}`;
  }
}

type Message = {
  role?: string;
  content?: unknown;
  tool_call_id?: string;
  tool_calls?: { id?: string; function?: { name?: string; arguments?: string } }[];
};

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
  const before = (recorded as { messages?: Message[] })?.messages ?? [];
  const after = (now as { messages?: Message[] })?.messages ?? [];
  if (before.length !== after.length || before.some((m, i) => m.role !== after[i]?.role)) return [];
  const drifts: Drift[] = [];
  for (const [i, then] of before.entries()) {
    const current = after[i] as Message;
    if (canonicalJson(then) === canonicalJson(current)) continue;
    if ((then.role === 'system' || then.role === 'user') && typeof then.content === 'string' && typeof current.content === 'string') {
      drifts.push(
        drift(
          'prompt',
          then.role === 'system' ? 'the system prompt' : `user turn "${around(then.content, 0, 40)}"`,
          wordDiff(then.content, current.content),
        ),
      );
    } else if (then.role === 'tool' && then.tool_call_id === current.tool_call_id) {
      const call = callOf(before, then.tool_call_id);
      const d = firstDiff(parsed(then.content), parsed(current.content));
      if (!d) continue;
      drifts.push(drift('data', `${call.replace(/\(.*$/, '')} result ${dataChange(d)}`, `${call} → ${describeDiff(d)}`));
    } else {
      return [];
    }
  }
  const rest = { ...(recorded as object), messages: undefined, tools: undefined };
  const restNow = { ...(now as object), messages: undefined, tools: undefined };
  return canonicalJson(rest) === canonicalJson(restNow) ? drifts : [];
}
