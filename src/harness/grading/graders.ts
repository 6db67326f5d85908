import type { ErrorEnvelope } from '../../shared/envelope.ts';
import type { ChatRequest } from '../../orchestrator/model-client.ts';
import type { Transcript } from '../../orchestrator/transcript.ts';
import { matchArguments, matchText, matchValue, type Check } from './matchers.ts';
import type { ErrorExpectation, ExpectedCall, Scenario, ToolsExpectation } from '../scenario/scenario.ts';
import { gradeGrounded, gradeJudges } from './answer-checks.ts';
import type { ObservedCall, ScenarioRun } from '../run/scenario-run.ts';
import type { GradeResult } from './score.ts';

/** ARCHITECTURE.md's performance figures, the default latency budgets. */
export const DEFAULT_BUDGETS = { startup_ms: 3000, discovery_ms: 1000, tool_call_ms: 200, query_ms: 15_000 } as const;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** How an expected call reads in a reason: its tool, or its arguments when any tool will do. */
function label(call: ExpectedCall): string {
  if (call.malformed_arguments) return call.name ? `${call.name} (malformed arguments)` : 'any tool with malformed arguments';
  return call.name ?? `any tool with ${JSON.stringify(call.args ?? {})}`;
}

const expectedNames = (calls: readonly ExpectedCall[]) => `[${calls.map(label).join(', ')}]`;

const names = (calls: readonly ObservedCall[]) =>
  `[${calls.map((c) => (c.malformedArguments === undefined ? c.name : `${c.name} (malformed arguments)`)).join(', ')}]`;

const cut = (text: string) => (text.length > 80 ? `${text.slice(0, 79)}…` : text);

function callMatches(expected: ExpectedCall, actual: ObservedCall): Check {
  if (expected.name !== undefined && expected.name !== actual.name)
    return { pass: false, reason: `expected ${expected.name}, got ${actual.name}` };
  if (actual.malformedArguments !== undefined) {
    return expected.malformed_arguments
      ? { pass: true, reason: 'malformed arguments' }
      : { pass: false, reason: `its arguments were malformed: ${cut(actual.malformedArguments)}` };
  }
  if (expected.malformed_arguments)
    return { pass: false, reason: `expected malformed arguments, got ${cut(JSON.stringify(actual.arguments))}` };
  return matchArguments(expected.args, actual.arguments, expected.args_match);
}

/** Why no call matched an expected one: the closest miss (same name, wrong arguments) if any. */
function missReason(expected: ExpectedCall, calls: readonly ObservedCall[]): string {
  if (expected.name === undefined) {
    const closest = calls[0] ? callMatches(expected, calls[0]).reason : 'no tool was called';
    return `no call has the arguments ${JSON.stringify(expected.args ?? {})} (${calls.length === 0 ? closest : `first call ${calls[0]?.name}: ${closest}`})`;
  }
  const sameName = calls.filter((c) => c.name === expected.name);
  if (sameName.length === 0) return `${expected.name} was not called`;
  return `${expected.name} was called but ${callMatches(expected, sameName[0] as ObservedCall).reason}`;
}

/** Assigns expected calls to distinct actual calls (small inputs: backtracking). */
function assign(expected: readonly ExpectedCall[], calls: readonly ObservedCall[], used = new Set<number>(), i = 0): boolean {
  if (i === expected.length) return true;
  const want = expected[i] as ExpectedCall;
  for (const call of calls) {
    if (used.has(call.index) || !callMatches(want, call).pass) continue;
    used.add(call.index);
    if (assign(expected, calls, used, i + 1)) return true;
    used.delete(call.index);
  }
  return false;
}

function gradeSequence(exp: ToolsExpectation, calls: readonly ObservedCall[]): Check {
  const expected = exp.calls;
  const summary = `expected ${expectedNames(expected)} (${exp.mode.replace('_', ' ')}), got ${names(calls)}`;
  switch (exp.mode) {
    case 'exact': {
      if (expected.length !== calls.length)
        return { pass: false, reason: `${summary}: ${plural(calls.length, 'call')} instead of ${expected.length}` };
      for (const [i, want] of expected.entries()) {
        const check = callMatches(want, calls[i] as ObservedCall);
        if (!check.pass) return { pass: false, reason: `${summary}: call ${i + 1}: ${check.reason}` };
      }
      return { pass: true, reason: summary };
    }
    case 'in_order': {
      let from = 0;
      for (const want of expected) {
        const found = calls.findIndex((call, i) => i >= from && callMatches(want, call).pass);
        if (found < 0)
          return {
            pass: false,
            reason: `${summary}: ${missReason(want, calls.slice(from))}${from > 0 ? ' after the earlier expected calls' : ''}`,
          };
        from = found + 1;
      }
      return { pass: true, reason: summary };
    }
    case 'unordered': {
      if (expected.length !== calls.length || !assign(expected, calls)) {
        const missing = expected.find((want) => !calls.some((c) => callMatches(want, c).pass));
        const extra = calls.find((call) => !expected.some((want) => callMatches(want, call).pass));
        const why = missing
          ? missReason(missing, calls)
          : extra
            ? `unexpected call ${extra.name}(${JSON.stringify(extra.arguments)})`
            : 'a call is expected a different number of times';
        return { pass: false, reason: `${summary}: ${why}` };
      }
      return { pass: true, reason: summary };
    }
    case 'subset': {
      if (assign(expected, calls)) return { pass: true, reason: summary };
      const missing = expected.find((want) => !calls.some((c) => callMatches(want, c).pass));
      return {
        pass: false,
        reason: `${summary}${missing ? `: ${missReason(missing, calls)}` : ': a call is expected more often than made'}`,
      };
    }
    case 'superset': {
      const extra = calls.find((call) => !expected.some((want) => callMatches(want, call).pass));
      return extra
        ? { pass: false, reason: `${summary}: unexpected call ${extra.name}(${JSON.stringify(extra.arguments)})` }
        : { pass: true, reason: summary };
    }
    case 'any_of': {
      const hit = calls.find((call) => expected.some((want) => callMatches(want, call).pass));
      return hit ? { pass: true, reason: `${summary}: ${hit.name} matched` } : { pass: false, reason: `${summary}: none matched` };
    }
  }
}

function inBounds(count: number, bounds: { min?: number | undefined; max?: number | undefined }): boolean {
  return (bounds.min === undefined || count >= bounds.min) && (bounds.max === undefined || count <= bounds.max);
}

const bounds = (b: { min?: number | undefined; max?: number | undefined }) =>
  [b.min !== undefined ? `at least ${b.min}` : '', b.max !== undefined ? `at most ${b.max}` : ''].filter(Boolean).join(' and ');

/**
 * Tool sequence, argument, count and forbidden-tool expectations. Several expectations must all
 * hold; the checks of the second and later are named tools#2, tool_count#2, ...
 */
export function gradeTools(expectations: readonly ToolsExpectation[] | undefined, calls: readonly ObservedCall[]): GradeResult[] {
  return (expectations ?? []).flatMap((exp, i) => {
    const suffix = i === 0 ? '' : `#${i + 1}`;
    return gradeOneTools(exp, calls).map((r) => ({
      ...r,
      name: r.name.includes(':') ? r.name.replace(':', `${suffix}:`) : `${r.name}${suffix}`,
    }));
  });
}

/** Why a check did not see some calls: their arguments were malformed, so no server ran them. */
function leftOutNote(left: readonly ObservedCall[]): string {
  if (left.length === 0) return '';
  const which = left.map((c) => `${c.name} ${cut(c.malformedArguments ?? '')}`).join(', ');
  return `; left out: ${plural(left.length, 'call')} with malformed arguments, which never reached a server (${which})`;
}

/**
 * Calls with malformed arguments never reached a server, so (as in the original tutorial, which
 * dropped them) they satisfy nothing, unless the expectation lists such a call.
 */
function gradeOneTools(exp: ToolsExpectation, observed: readonly ObservedCall[]): GradeResult[] {
  const asked = exp.calls.some((c) => c.malformed_arguments);
  const calls = asked ? observed : observed.filter((c) => c.malformedArguments === undefined);
  const left = observed.filter((c) => !calls.includes(c));
  const leftOf = (tool: string) => leftOutNote(left.filter((c) => c.name === tool));
  const results: GradeResult[] = [];
  if (exp.calls.length > 0) {
    const check = gradeSequence(exp, calls);
    results.push({ name: 'tools', pass: check.pass, reason: check.reason + leftOutNote(left) });
  }
  if (exp.count) {
    const pass = inBounds(calls.length, exp.count);
    results.push({ name: 'tool_count', pass, reason: `expected ${bounds(exp.count)} tool calls, got ${calls.length}${leftOutNote(left)}` });
  }
  for (const [tool, b] of Object.entries(exp.per_tool ?? {})) {
    const n = calls.filter((c) => c.name === tool).length;
    results.push({
      name: `count:${tool}`,
      pass: inBounds(n, b),
      reason: `expected ${bounds(b)} call(s) of ${tool}, got ${n}${leftOf(tool)}`,
    });
  }
  for (const tool of exp.forbidden ?? []) {
    const n = calls.filter((c) => c.name === tool).length;
    results.push({
      name: `forbidden:${tool}`,
      pass: n === 0,
      reason: `${n === 0 ? `${tool} not called` : `${tool} must not be called, was called ${n} time(s)`}${leftOf(tool)}`,
    });
  }
  return results;
}

function toolMessageSent(requests: readonly ChatRequest[], callId: string): string | undefined {
  for (const request of requests) {
    for (const message of request.messages) {
      if (message.role === 'tool' && message.tool_call_id === callId) return message.content;
    }
  }
  return undefined;
}

function gradeOneError(exp: ErrorExpectation, run: ScenarioRun): Check {
  const candidates = run.calls.filter((c) => c.name === exp.tool);
  if (candidates.length === 0)
    return { pass: false, reason: `expected an error envelope from ${exp.tool}, but ${exp.tool} was not called` };
  const failed = candidates.filter((c) => c.isError && c.envelope);
  if (failed.length === 0) return { pass: false, reason: `expected an error envelope from ${exp.tool}, but every call succeeded` };
  const problems: string[] = [];
  for (const call of failed) {
    const envelope = call.envelope as ErrorEnvelope;
    const issues: string[] = [];
    if (exp.envelope?.error !== undefined) {
      const check = matchText(exp.envelope.error, envelope.error);
      if (!check.pass) issues.push(`error ${check.reason}`);
    }
    if (exp.envelope?.retryable !== undefined && envelope.retryable !== exp.envelope.retryable) {
      issues.push(`retryable expected ${exp.envelope.retryable}, got ${envelope.retryable}`);
    }
    for (const tool of exp.envelope?.follow_up_tools ?? []) {
      if (!envelope.follow_up_tools?.includes(tool))
        issues.push(`follow_up_tools lacks ${tool} (got [${(envelope.follow_up_tools ?? []).join(', ')}])`);
    }
    for (const [key, want] of Object.entries(exp.envelope?.context ?? {})) {
      const context = envelope.context ?? {};
      const check = matchValue(want, context[key], Object.hasOwn(context, key));
      if (!check.pass) issues.push(`context.${key}: ${check.reason}`);
    }
    const sent = toolMessageSent(run.requests, call.id);
    if (sent === undefined) issues.push('the envelope never reached the model as a tool message');
    else if (!sent.includes(envelope.error)) issues.push('the tool message the model received is not the envelope');
    if (exp.then_called && !run.calls.some((c) => c.index > call.index && c.name === exp.then_called)) {
      issues.push(
        `the model did not call ${exp.then_called} afterwards (it called ${names(run.calls.filter((c) => c.index > call.index))})`,
      );
    }
    if (issues.length === 0) return { pass: true, reason: `${exp.tool} returned "${envelope.error}" and the model received it` };
    problems.push(issues.join('; '));
  }
  return { pass: false, reason: `${exp.tool}: ${problems[0]}` };
}

/** Expected error envelopes: returned, received by the model, and acted on. */
export function gradeErrors(expectations: readonly ErrorExpectation[] | undefined, run: ScenarioRun): GradeResult[] {
  return (expectations ?? []).map((exp) => ({ name: `error:${exp.tool}`, ...gradeOneError(exp, run) }));
}

/** Stop reason (earlier turns must end with an answer), iteration bounds and the final answer. */
export function gradeOutcome(expect: Scenario['expect'], run: ScenarioRun): GradeResult[] {
  const results: GradeResult[] = [];
  if (run.crash) return [{ name: 'ended_normally', pass: false, reason: `the run crashed: ${run.crash}` }];
  const last = run.transcripts.at(-1);
  if (!last) return [{ name: 'ended_normally', pass: false, reason: 'no turn was run' }];
  const early = run.transcripts.slice(0, -1).findIndex((t) => t.stop_reason !== 'final_answer');
  if (early >= 0) {
    results.push({
      name: 'stop_reason',
      pass: false,
      reason: `turn ${early + 1} ended with ${run.transcripts[early]?.stop_reason}, expected final_answer`,
    });
  }
  const allowed = expect.stop_reason === 'any' ? undefined : [expect.stop_reason].flat();
  if (allowed) {
    results.push({
      name: 'stop_reason',
      pass: allowed.includes(last.stop_reason),
      reason: `expected stop reason ${allowed.join(' or ')}, got ${last.stop_reason}`,
    });
  }
  if (expect.iterations?.max !== undefined) {
    const most = Math.max(...run.transcripts.map((t) => t.iterations));
    results.push({
      name: 'iterations',
      pass: most <= expect.iterations.max,
      reason: `expected at most ${expect.iterations.max} model calls per turn, got ${most}`,
    });
  }
  if (expect.iterations?.exact !== undefined) {
    results.push({
      name: 'iterations',
      pass: last.iterations === expect.iterations.exact,
      reason: `expected ${expect.iterations.exact} model calls, got ${last.iterations}`,
    });
  }
  const answer = last.answer ?? '';
  for (const text of expect.answer?.contains ?? []) results.push({ name: 'answer', ...matchText(text, answer) });
  for (const text of expect.answer?.not_contains ?? []) {
    const hit = answer.toLowerCase().includes(text.toLowerCase());
    results.push({ name: 'answer', pass: !hit, reason: hit ? `answer must not contain "${text}"` : `does not contain "${text}"` });
  }
  if (expect.answer?.matches) results.push({ name: 'answer', ...matchText({ $regex: expect.answer.matches }, answer) });
  return results;
}

function modelMs(transcript: Transcript): number {
  return transcript.events.reduce((sum, e) => sum + (e.type === 'model_response' ? e.duration_ms : 0), 0);
}

/**
 * Latency against the budgets (ARCHITECTURE.md's figures unless the scenario tightens them).
 * Under replay the model's time is not graded: the query budget covers tools and orchestration.
 */
export function gradeLatency(budgets: Scenario['expect']['latency'], run: ScenarioRun): GradeResult[] {
  const b = { ...DEFAULT_BUDGETS, ...budgets };
  const results: GradeResult[] = [
    {
      name: 'latency:startup',
      pass: run.startupMs <= b.startup_ms,
      reason: `start-up ${Math.round(run.startupMs)} ms (budget ${b.startup_ms} ms)`,
    },
    {
      name: 'latency:discovery',
      pass: run.discoveryMs <= b.discovery_ms,
      reason: `discovery ${Math.round(run.discoveryMs)} ms (budget ${b.discovery_ms} ms)`,
    },
  ];
  // A call that waited for its server's restart measures the restart, not the tool.
  const timed = run.calls.filter((c) => !c.serverRestarted);
  const slowest = timed.reduce<ObservedCall | undefined>((worst, c) => (!worst || c.durationMs > worst.durationMs ? c : worst), undefined);
  const restarts = run.calls.length - timed.length;
  if (slowest) {
    results.push({
      name: 'latency:tool_call',
      pass: slowest.durationMs <= b.tool_call_ms,
      reason: `slowest tool call ${slowest.name} ${slowest.durationMs.toFixed(1)} ms (budget ${b.tool_call_ms} ms)${restarts > 0 ? `; ${restarts} call(s) that waited for a server restart not timed` : ''}`,
    });
  }
  const total = run.transcripts.reduce((sum, t) => sum + t.duration_ms - (run.mode === 'replay' ? modelMs(t) : 0), 0);
  results.push({
    name: 'latency:query',
    pass: total <= b.query_ms,
    reason: `query ${Math.round(total)} ms${run.mode === 'replay' ? ' without model time' : ''} (budget ${b.query_ms} ms)`,
  });
  return results;
}

/** Every built-in check of a scenario against one run (custom graders run apart: they are async). */
export function grade(scenario: Scenario, run: ScenarioRun): GradeResult[] {
  if (run.crash) return gradeOutcome(scenario.expect, run);
  return [
    ...gradeOutcome(scenario.expect, run),
    ...gradeTools(scenario.expect.tools, run.calls),
    ...gradeErrors(scenario.expect.errors, run),
    ...gradeGrounded(scenario.expect, run),
    ...gradeJudges(scenario.expect, run),
    ...gradeLatency(scenario.expect.latency, run),
  ];
}
