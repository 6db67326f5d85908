import { describe, expect, it } from 'vitest';
import type { Transcript, TranscriptEvent } from '../../orchestrator/transcript.ts';
import { gradeTools } from './graders.ts';
import { observedCalls, type ObservedCall } from '../run/scenario-run.ts';
import { type GradeResult } from './score.ts';
import { ScenarioSchema } from '../scenario/scenario.ts';

// A call whose arguments the orchestrator could not read as one JSON object never reached a
// server. The original tutorial drops it (json.loads raises) and fails "Too few tool calls (0 < 1)";
// these tests pin that it satisfies no tool expectation unless the scenario asks for it.

const tools = (tools: unknown) => ScenarioSchema.parse({ id: 'unit', description: 'unit', turns: ['q'], expect: { tools } }).expect.tools;

const RAW = '{"ticket_id": "TKT-1001"';

function call(index: number, name: string, args: Record<string, unknown> | null): ObservedCall {
  return {
    index,
    turn: 0,
    iteration: index + 1,
    id: `call_${index}`,
    name,
    server: 'tickets',
    arguments: args,
    isError: args === null,
    envelope: undefined,
    durationMs: 1,
    ...(args === null ? { malformedArguments: RAW } : {}),
  };
}

const MALFORMED = call(0, 'get_ticket_details', null);
const RETRIED = call(1, 'get_ticket_details', { ticket_id: 'TKT-1001' });

const byName = (results: GradeResult[]) => Object.fromEntries(results.map((r) => [r.name, r]));

describe('calls with malformed arguments', () => {
  it('satisfy no sequence, count, per_tool or any_of expectation, and each reason says the call was left out', () => {
    const results = byName(
      gradeTools(
        tools([
          { mode: 'subset', calls: [{ name: 'get_ticket_details' }], count: { min: 1 }, per_tool: { get_ticket_details: { min: 1 } } },
          { mode: 'any_of', calls: [{ name: 'get_ticket_details' }] },
        ]),
        [MALFORMED],
      ),
    );
    const note = `left out: 1 call with malformed arguments, which never reached a server (get_ticket_details ${RAW})`;
    expect(results.tools).toEqual({
      name: 'tools',
      pass: false,
      reason: `expected [get_ticket_details] (subset), got []: get_ticket_details was not called; ${note}`,
    });
    expect(results.tool_count).toEqual({ name: 'tool_count', pass: false, reason: `expected at least 1 tool calls, got 0; ${note}` });
    expect(results['count:get_ticket_details']).toEqual({
      name: 'count:get_ticket_details',
      pass: false,
      reason: `expected at least 1 call(s) of get_ticket_details, got 0; ${note}`,
    });
    expect(results['tools#2']).toEqual({
      name: 'tools#2',
      pass: false,
      reason: `expected [get_ticket_details] (any of), got []: none matched; ${note}`,
    });
  });

  it('do not make a forbidden tool called, nor an exact sequence longer', () => {
    const results = byName(
      gradeTools(tools({ mode: 'exact', calls: [{ name: 'get_ticket_details' }], forbidden: ['search_tickets'] }), [
        call(0, 'search_tickets', null),
        RETRIED,
      ]),
    );
    expect(results.tools?.pass).toBe(true);
    expect(results['forbidden:search_tickets']).toMatchObject({
      pass: true,
      reason: expect.stringMatching(/^search_tickets not called; left out: 1 call with malformed arguments/),
    });
  });

  it('are matched by an expected call marked malformed_arguments, which matches no readable call', () => {
    const exp = tools({
      mode: 'exact',
      calls: [
        { name: 'get_ticket_details', malformed_arguments: true },
        { name: 'get_ticket_details', args: { ticket_id: 'TKT-1001' } },
      ],
    });
    expect(gradeTools(exp, [MALFORMED, RETRIED])).toEqual([
      {
        name: 'tools',
        pass: true,
        reason:
          'expected [get_ticket_details (malformed arguments), get_ticket_details] (exact), got [get_ticket_details (malformed arguments), get_ticket_details]',
      },
    ]);
    expect(gradeTools(exp, [call(0, 'get_ticket_details', { ticket_id: 'TKT-1002' }), RETRIED])[0]).toMatchObject({
      pass: false,
      reason: expect.stringContaining('call 1: expected malformed arguments, got {"ticket_id":"TKT-1002"}'),
    });
  });

  it('do not match an expected call that is not marked, even one without arguments', () => {
    const exp = tools({ mode: 'exact', calls: [{ name: 'get_ticket_details' }, { name: 'get_ticket_details' }], count: { min: 2 } });
    const results = byName(gradeTools(exp, [MALFORMED, RETRIED]));
    expect(results.tools?.reason).toBe(
      `expected [get_ticket_details, get_ticket_details] (exact), got [get_ticket_details]: 1 call instead of 2; left out: 1 call with malformed arguments, which never reached a server (get_ticket_details ${RAW})`,
    );
    expect(results.tool_count?.pass).toBe(false);
  });

  it('count in an expectation that lists one marked malformed_arguments', () => {
    const results = byName(gradeTools(tools({ calls: [{ malformed_arguments: true }], count: { min: 2 } }), [MALFORMED, RETRIED]));
    expect(results.tools).toMatchObject({
      pass: true,
      reason: 'expected [any tool with malformed arguments] (in order), got [get_ticket_details (malformed arguments), get_ticket_details]',
    });
    expect(results.tool_count).toEqual({ name: 'tool_count', pass: true, reason: 'expected at least 2 tool calls, got 2' });
  });

  it('are read from the transcript as arguments null with the raw text the model sent', () => {
    const event = (id: string, args: Record<string, unknown> | null, raw: string): TranscriptEvent => ({
      type: 'tool_call',
      at_ms: 0,
      iteration: 1,
      id,
      name: 'get_ticket_details',
      server: 'tickets',
      arguments: args,
      raw_arguments: raw,
    });
    const transcript: Transcript = {
      version: 1,
      query: 'q',
      model: 'm',
      started_at: '2025-10-05T12:00:00.000Z',
      duration_ms: 1,
      stop_reason: 'final_answer',
      iterations: 2,
      max_iterations: 10,
      answer: 'a',
      usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
      events: [event('a', null, RAW), event('b', { ticket_id: 'TKT-1001' }, '{"ticket_id": "TKT-1001"}'), event('c', {}, '')],
    };
    expect(observedCalls([transcript]).map((c) => [c.arguments, c.malformedArguments])).toEqual([
      [null, RAW],
      [{ ticket_id: 'TKT-1001' }, undefined],
      [{}, undefined],
    ]);
  });

  it('cannot be expected with arguments as well: the scenario is refused naming the field', () => {
    const parsed = ScenarioSchema.safeParse({
      id: 'x',
      description: 'x',
      turns: ['q'],
      expect: { tools: { calls: [{ name: 'get_ticket_details', malformed_arguments: true, args: { ticket_id: 'TKT-1001' } }] } },
    });
    expect(parsed.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['expect.tools.calls.0.args', 'a call with malformed_arguments has no arguments to expect'],
    ]);
  });

  it('fail an expected call that is not marked, quoting the raw arguments up to 80 characters', () => {
    const exp = tools({
      mode: 'exact',
      calls: [{ name: 'get_ticket_details', malformed_arguments: true }, { name: 'get_ticket_details' }],
    });
    const malformed = (index: number, raw: string): ObservedCall => ({
      ...call(index, 'get_ticket_details', null),
      malformedArguments: raw,
    });
    const reason = (raw: string) => gradeTools(exp, [MALFORMED, malformed(1, raw)])[0]?.reason;
    const summary =
      'expected [get_ticket_details (malformed arguments), get_ticket_details] (exact), got [get_ticket_details (malformed arguments), get_ticket_details (malformed arguments)]';
    expect(reason(RAW)).toBe(`${summary}: call 2: its arguments were malformed: ${RAW}`);
    const fits = `{"q": "${'x'.repeat(73)}`;
    expect(fits).toHaveLength(80);
    expect(reason(fits)).toBe(`${summary}: call 2: its arguments were malformed: ${fits}`);
    expect(reason(`${fits}y`)).toBe(`${summary}: call 2: its arguments were malformed: ${fits.slice(0, 79)}…`);
  });

  it("are each named in the note, and a tool's own count notes only its own", () => {
    const other = { ...call(1, 'search_tickets', null), malformedArguments: '{"q":' };
    const results = byName(
      gradeTools(tools({ count: { min: 0 }, per_tool: { get_ticket_details: { min: 0 }, lookup_customer: { min: 0 } } }), [
        MALFORMED,
        other,
      ]),
    );
    expect(results.tool_count?.reason).toBe(
      `expected at least 0 tool calls, got 0; left out: 2 calls with malformed arguments, which never reached a server (get_ticket_details ${RAW}, search_tickets {"q":)`,
    );
    expect(results['count:get_ticket_details']?.reason).toBe(
      `expected at least 0 call(s) of get_ticket_details, got 0; left out: 1 call with malformed arguments, which never reached a server (get_ticket_details ${RAW})`,
    );
    expect(results['count:lookup_customer']?.reason).toBe('expected at least 0 call(s) of lookup_customer, got 0');
  });
});
