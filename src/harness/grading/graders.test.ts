import { describe, expect, it } from 'vitest';
import type { ChatMessage, ChatRequest } from '../../orchestrator/model-client.ts';
import type { Transcript, TranscriptEvent } from '../../orchestrator/transcript.ts';
import type { ErrorEnvelope } from '../../shared/envelope.ts';
import { DEFAULT_BUDGETS, grade, gradeErrors, gradeLatency, gradeOutcome, gradeTools } from './graders.ts';
import { observedCalls, type ObservedCall, type ScenarioRun } from '../run/scenario-run.ts';
import { type GradeResult } from './score.ts';
import { parseScenario, ScenarioSchema, type Scenario } from '../scenario/scenario.ts';

// Everything here is built by hand: expectations go through the scenario schema (so defaults
// apply as in a scenario file), runs are plain objects.

/** A scenario's `expect` block, parsed as it would be from a file. */
function expectation(expect: Record<string, unknown>): Scenario['expect'] {
  return ScenarioSchema.parse({ id: 'unit', description: 'unit', turns: ['q'], expect }).expect;
}

const tools = (tools: Record<string, unknown>) => expectation({ tools }).tools;

type CallSpec = [name: string, args?: Record<string, unknown> | null, extra?: Partial<ObservedCall>];

/** Observed calls in the order given. */
function calls(...specs: CallSpec[]): ObservedCall[] {
  return specs.map(([name, args = {}, extra = {}], index) => ({
    index,
    turn: 0,
    iteration: 1,
    id: `call_${index}`,
    name,
    server: 'srv',
    arguments: args,
    isError: false,
    envelope: undefined,
    durationMs: 5,
    ...extra,
  }));
}

function transcript(fields: Partial<Transcript> = {}): Transcript {
  return {
    version: 1,
    query: 'q',
    model: 'm',
    started_at: '2025-10-05T12:00:00.000Z',
    duration_ms: 100,
    stop_reason: 'final_answer',
    iterations: 2,
    max_iterations: 10,
    answer: 'done',
    usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
    events: [],
    ...fields,
  };
}

function run(fields: Partial<ScenarioRun> = {}): ScenarioRun {
  return { mode: 'replay', transcripts: [transcript()], calls: [], requests: [], startupMs: 10, discoveryMs: 5, ...fields };
}

function request(...messages: ChatMessage[]): ChatRequest {
  return { model: 'm', messages: [{ role: 'user', content: 'q' }, ...messages], tools: [], tool_choice: 'auto' };
}

const only = (results: GradeResult[], name: string): GradeResult => {
  const found = results.filter((r) => r.name === name);
  expect(found, `exactly one "${name}" check in ${JSON.stringify(results)}`).toHaveLength(1);
  return found[0] as GradeResult;
};

const sequence = (exp: Record<string, unknown>, observed: ObservedCall[]) => only(gradeTools(tools(exp), observed), 'tools');

const LOOKUP = ['lookup_customer', { customer_id: 'CUST-001' }] as const;
const SEARCH = ['search_tickets', { customer_id: 'CUST-001', priority: 'critical' }] as const;
const EXPECT_LOOKUP_THEN_SEARCH = [{ name: 'lookup_customer' }, { name: 'search_tickets', args: { priority: 'critical' } }];

describe('graders', () => {
  it('exact: passes the same calls in the same order', () => {
    expect(sequence({ mode: 'exact', calls: EXPECT_LOOKUP_THEN_SEARCH }, calls([...LOOKUP], [...SEARCH]))).toEqual({
      name: 'tools',
      pass: true,
      reason: 'expected [lookup_customer, search_tickets] (exact), got [lookup_customer, search_tickets]',
    });
  });

  it('exact: fails a missing call, a call too many, another order and other arguments, saying which', () => {
    const exp = { mode: 'exact', calls: EXPECT_LOOKUP_THEN_SEARCH };
    expect(sequence(exp, calls([...SEARCH])).reason).toBe(
      'expected [lookup_customer, search_tickets] (exact), got [search_tickets]: 1 call instead of 2',
    );
    expect(sequence(exp, calls([...LOOKUP], [...SEARCH], [...SEARCH])).reason).toBe(
      'expected [lookup_customer, search_tickets] (exact), got [lookup_customer, search_tickets, search_tickets]: 3 calls instead of 2',
    );
    expect(sequence(exp, calls([...SEARCH], [...LOOKUP])).reason).toBe(
      'expected [lookup_customer, search_tickets] (exact), got [search_tickets, lookup_customer]: call 1: expected lookup_customer, got search_tickets',
    );
    const wrongArgs = sequence(exp, calls([...LOOKUP], ['search_tickets', { priority: 'high' }]));
    expect(wrongArgs).toEqual({
      name: 'tools',
      pass: false,
      reason:
        'expected [lookup_customer, search_tickets] (exact), got [lookup_customer, search_tickets]: call 2: priority: expected "critical", got "high"',
    });
  });

  it('in_order: passes other calls between the expected ones', () => {
    const check = sequence(
      { calls: EXPECT_LOOKUP_THEN_SEARCH },
      calls([...LOOKUP], ['get_sla_terms'], [...SEARCH], ['get_ticket_details']),
    );
    expect(check.pass).toBe(true);
    expect(check.reason).toBe(
      'expected [lookup_customer, search_tickets] (in order), got [lookup_customer, get_sla_terms, search_tickets, get_ticket_details]',
    );
  });

  it('in_order: fails a dropped call and a swapped order', () => {
    expect(sequence({ mode: 'in_order', calls: EXPECT_LOOKUP_THEN_SEARCH }, calls([...SEARCH]))).toEqual({
      name: 'tools',
      pass: false,
      reason: 'expected [lookup_customer, search_tickets] (in order), got [search_tickets]: lookup_customer was not called',
    });
    expect(sequence({ mode: 'in_order', calls: EXPECT_LOOKUP_THEN_SEARCH }, calls([...SEARCH], [...LOOKUP])).reason).toBe(
      'expected [lookup_customer, search_tickets] (in order), got [search_tickets, lookup_customer]: search_tickets was not called after the earlier expected calls',
    );
  });

  it('in_order: names the argument of the closest miss when the tool was called with other arguments', () => {
    expect(sequence({ calls: EXPECT_LOOKUP_THEN_SEARCH }, calls([...LOOKUP], ['search_tickets', { priority: 'low' }])).reason).toBe(
      'expected [lookup_customer, search_tickets] (in order), got [lookup_customer, search_tickets]: search_tickets was called but priority: expected "critical", got "low" after the earlier expected calls',
    );
  });

  it('unordered: passes the expected calls in any order, and fails one extra or one missing call', () => {
    const exp = { mode: 'unordered', calls: [{ name: 'lookup_customer' }, { name: 'calculate_outstanding_balance' }] };
    expect(sequence(exp, calls(['calculate_outstanding_balance'], ['lookup_customer']))).toEqual({
      name: 'tools',
      pass: true,
      reason: 'expected [lookup_customer, calculate_outstanding_balance] (unordered), got [calculate_outstanding_balance, lookup_customer]',
    });
    expect(sequence(exp, calls(['calculate_outstanding_balance'], ['lookup_customer'], ['get_invoice'])).reason).toBe(
      'expected [lookup_customer, calculate_outstanding_balance] (unordered), got [calculate_outstanding_balance, lookup_customer, get_invoice]: unexpected call get_invoice({})',
    );
    expect(sequence(exp, calls(['lookup_customer'], ['get_invoice'])).reason).toBe(
      'expected [lookup_customer, calculate_outstanding_balance] (unordered), got [lookup_customer, get_invoice]: calculate_outstanding_balance was not called',
    );
  });

  it('unordered: needs a distinct call for each expected one', () => {
    const exp = { mode: 'unordered', calls: [{ name: 'get_invoice' }, { name: 'get_invoice', args: { invoice_id: 'INV-2' } }] };
    expect(sequence(exp, calls(['get_invoice', { invoice_id: 'INV-2' }], ['get_invoice', { invoice_id: 'INV-1' }])).pass).toBe(true);
    expect(sequence(exp, calls(['get_invoice', { invoice_id: 'INV-1' }], ['get_invoice', { invoice_id: 'INV-1' }])).pass).toBe(false);
  });

  it('subset: passes the expected calls among others, and fails a missing one or one expected more often than made', () => {
    const exp = { mode: 'subset', calls: [{ name: 'search_tickets' }, { name: 'lookup_customer' }] };
    expect(sequence(exp, calls(['get_sla_terms'], [...LOOKUP], ['get_invoice'], [...SEARCH])).pass).toBe(true);
    expect(sequence(exp, calls([...LOOKUP], ['get_invoice'])).reason).toBe(
      'expected [search_tickets, lookup_customer] (subset), got [lookup_customer, get_invoice]: search_tickets was not called',
    );
    const twice = { mode: 'subset', calls: [{ name: 'search_tickets' }, { name: 'search_tickets' }] };
    expect(sequence(twice, calls([...SEARCH], [...LOOKUP])).reason).toBe(
      'expected [search_tickets, search_tickets] (subset), got [search_tickets, lookup_customer]: a call is expected more often than made',
    );
  });

  it('superset: passes calls that are all among the expected ones, and names a call outside them', () => {
    const exp = { mode: 'superset', calls: [{ name: 'lookup_customer' }, { name: 'search_tickets' }] };
    expect(sequence(exp, calls([...SEARCH])).pass).toBe(true);
    expect(sequence(exp, []).pass).toBe(true);
    expect(sequence(exp, calls([...SEARCH], ['get_invoice', { invoice_id: 'INV-1' }]))).toEqual({
      name: 'tools',
      pass: false,
      reason:
        'expected [lookup_customer, search_tickets] (superset), got [search_tickets, get_invoice]: unexpected call get_invoice({"invoice_id":"INV-1"})',
    });
  });

  it('any_of: passes when one expected call was made, naming it, and fails when none was', () => {
    const exp = { mode: 'any_of', calls: [{ name: 'lookup_customer' }, { name: 'check_customer_status' }] };
    expect(sequence(exp, calls(['get_invoice'], [...LOOKUP]))).toEqual({
      name: 'tools',
      pass: true,
      reason: 'expected [lookup_customer, check_customer_status] (any of), got [get_invoice, lookup_customer]: lookup_customer matched',
    });
    expect(sequence(exp, calls(['get_invoice'])).reason).toBe(
      'expected [lookup_customer, check_customer_status] (any of), got [get_invoice]: none matched',
    );
    expect(sequence(exp, []).pass).toBe(false);
  });

  it('applies argument matchers and exact argument matching inside expected calls', () => {
    const partial = { mode: 'exact', calls: [{ name: 'get_ticket_details', args: { ticket_id: { $regex: '^TKT-\\d{4}$' } } }] };
    expect(sequence(partial, calls(['get_ticket_details', { ticket_id: 'TKT-1001', include_history: true }])).pass).toBe(true);
    expect(sequence(partial, calls(['get_ticket_details', { ticket_id: '1001' }])).reason).toBe(
      'expected [get_ticket_details] (exact), got [get_ticket_details]: call 1: ticket_id: expected to match /^TKT-\\d{4}$/, got "1001"',
    );
    const exact = { mode: 'exact', calls: [{ name: 'get_ticket_details', args: { ticket_id: { $any: true } }, args_match: 'exact' }] };
    expect(sequence(exact, calls(['get_ticket_details', { ticket_id: 'TKT-1001' }])).pass).toBe(true);
    expect(sequence(exact, calls(['get_ticket_details', { ticket_id: 'TKT-1001', include_history: true }])).reason).toBe(
      'expected [get_ticket_details] (exact), got [get_ticket_details]: call 1: include_history: not expected (exact match)',
    );
    const oneOf = { mode: 'any_of', calls: [{ name: 'search_tickets', args: { priority: { $oneOf: ['high', 'critical'] } } }] };
    expect(sequence(oneOf, calls([...SEARCH])).pass).toBe(true);
    expect(sequence(oneOf, calls(['search_tickets', { priority: 'low' }])).pass).toBe(false);
  });

  it('grades the total count, the count per tool and forbidden tools with the numbers in the reason', () => {
    const exp = tools({
      count: { min: 1, max: 2 },
      per_tool: { search_tickets: { max: 1 }, lookup_customer: { min: 1 } },
      forbidden: ['get_invoice', 'get_article'],
    });
    const results = gradeTools(exp, calls([...SEARCH], [...SEARCH], ['get_invoice']));
    expect(results).toEqual([
      { name: 'tool_count', pass: false, reason: 'expected at least 1 and at most 2 tool calls, got 3' },
      { name: 'count:search_tickets', pass: false, reason: 'expected at most 1 call(s) of search_tickets, got 2' },
      { name: 'count:lookup_customer', pass: false, reason: 'expected at least 1 call(s) of lookup_customer, got 0' },
      { name: 'forbidden:get_invoice', pass: false, reason: 'get_invoice must not be called, was called 1 time(s)' },
      { name: 'forbidden:get_article', pass: true, reason: 'get_article not called' },
    ]);
    expect(gradeTools(exp, calls([...LOOKUP], [...SEARCH])).every((r) => r.pass)).toBe(true);
  });

  it('exact: a different number of calls fails the check', () => {
    expect(sequence({ mode: 'exact', calls: [{ name: 'lookup_customer' }] }, calls([...LOOKUP], [...LOOKUP]))).toEqual({
      name: 'tools',
      pass: false,
      reason: 'expected [lookup_customer] (exact), got [lookup_customer, lookup_customer]: 2 calls instead of 1',
    });
  });

  it('unordered: says when every call is expected but not as many times as made', () => {
    expect(sequence({ mode: 'unordered', calls: [{ name: 'lookup_customer' }, { name: 'lookup_customer' }] }, calls([...LOOKUP]))).toEqual({
      name: 'tools',
      pass: false,
      reason:
        'expected [lookup_customer, lookup_customer] (unordered), got [lookup_customer]: a call is expected a different number of times',
    });
  });

  it('says no tool was called when a call expected by its arguments alone is missing from an empty run', () => {
    expect(sequence({ mode: 'subset', calls: [{ args: { customer_id: 'CUST-001' } }] }, [])).toEqual({
      name: 'tools',
      pass: false,
      reason:
        'expected [any tool with {"customer_id":"CUST-001"}] (subset), got []: no call has the arguments {"customer_id":"CUST-001"} (no tool was called)',
    });
  });

  it('grades nothing about tools without a tools expectation, and no sequence without expected calls', () => {
    expect(gradeTools(undefined, calls([...SEARCH]))).toEqual([]);
    expect(gradeTools(tools({ count: { max: 0 } }), calls([...SEARCH])).map((r) => r.name)).toEqual(['tool_count']);
  });
});

const NOT_FOUND: ErrorEnvelope = {
  error: 'Ticket not found',
  reason: 'No ticket has ID TKT-9999.',
  suggested_actions: ['Search the tickets of the customer.'],
  retryable: true,
  follow_up_tools: ['search_tickets'],
  context: { ticket_id: 'TKT-9999', known_prefix: 'TKT-' },
};

/** get_ticket_details fails with NOT_FOUND, the model receives the envelope, then searches. */
function errorRun(overrides: { calls?: ObservedCall[]; requests?: ChatRequest[] } = {}): ScenarioRun {
  const observed =
    overrides.calls ??
    calls(
      ['get_ticket_details', { ticket_id: 'TKT-9999' }, { isError: true, envelope: NOT_FOUND }],
      ['search_tickets', { customer_id: 'CUST-001' }],
    );
  const requests = overrides.requests ?? [
    request(),
    request({ role: 'assistant', content: null }, { role: 'tool', tool_call_id: 'call_0', content: JSON.stringify(NOT_FOUND) }),
  ];
  return run({ calls: observed, requests });
}

const errorCheck = (exp: Record<string, unknown>, r: ScenarioRun = errorRun()) =>
  only(gradeErrors(expectation({ errors: [{ tool: 'get_ticket_details', ...exp }] }).errors, r), 'error:get_ticket_details');

describe('error expectations', () => {
  it('passes an envelope whose fields match and that reached the model before the follow-up call', () => {
    const check = errorCheck({
      envelope: {
        error: 'not found',
        retryable: true,
        follow_up_tools: ['search_tickets'],
        context: { ticket_id: 'TKT-9999', known_prefix: { $regex: '^TKT' } },
      },
      then_called: 'search_tickets',
    });
    expect(check).toEqual({
      name: 'error:get_ticket_details',
      pass: true,
      reason: 'get_ticket_details returned "Ticket not found" and the model received it',
    });
  });

  it('fails when the tool was not called, or when every call of it succeeded', () => {
    expect(errorCheck({}, errorRun({ calls: calls(['search_tickets']) }))).toEqual({
      name: 'error:get_ticket_details',
      pass: false,
      reason: 'expected an error envelope from get_ticket_details, but get_ticket_details was not called',
    });
    expect(errorCheck({}, errorRun({ calls: calls(['get_ticket_details', { ticket_id: 'TKT-1001' }]) }))).toEqual({
      name: 'error:get_ticket_details',
      pass: false,
      reason: 'expected an error envelope from get_ticket_details, but every call succeeded',
    });
  });

  it('grades no error expectation when the scenario has none', () => {
    expect(gradeErrors(undefined, errorRun())).toEqual([]);
  });

  it('lists the follow-up tools an envelope names, or none, when one expected is missing', () => {
    const envelope = (follow: string[] | undefined): ErrorEnvelope => {
      const { follow_up_tools: _, ...rest } = NOT_FOUND;
      return follow ? { ...rest, follow_up_tools: follow } : rest;
    };
    const failedWith = (e: ErrorEnvelope) =>
      errorRun({
        calls: calls(['get_ticket_details', { ticket_id: 'TKT-9999' }, { isError: true, envelope: e }]),
        requests: [request({ role: 'tool', tool_call_id: 'call_0', content: JSON.stringify(e) })],
      });
    const exp = { envelope: { follow_up_tools: ['lookup_customer'] } };
    expect(errorCheck(exp, failedWith(envelope(undefined))).reason).toBe(
      'get_ticket_details: follow_up_tools lacks lookup_customer (got [])',
    );
    expect(errorCheck(exp, failedWith(envelope(['search_tickets', 'get_sla_terms']))).reason).toBe(
      'get_ticket_details: follow_up_tools lacks lookup_customer (got [search_tickets, get_sla_terms])',
    );
  });

  it('does not count the failed call itself as the call then_called asks for', () => {
    expect(
      errorCheck(
        { then_called: 'get_ticket_details' },
        errorRun({ calls: calls(['get_ticket_details', { ticket_id: 'TKT-9999' }, { isError: true, envelope: NOT_FOUND }]) }),
      ).reason,
    ).toBe('get_ticket_details: the model did not call get_ticket_details afterwards (it called [])');
  });

  it('names each envelope field that differs', () => {
    expect(errorCheck({ envelope: { error: 'timed out' } }).reason).toBe(
      'get_ticket_details: error expected to contain "timed out", got "Ticket not found"',
    );
    expect(errorCheck({ envelope: { error: { $regex: '^not found' } } }).reason).toBe(
      'get_ticket_details: error expected to match /^not found/, got "Ticket not found"',
    );
    expect(errorCheck({ envelope: { retryable: false } }).reason).toBe('get_ticket_details: retryable expected false, got true');
    expect(errorCheck({ envelope: { follow_up_tools: ['search_tickets', 'lookup_customer'] } }).reason).toBe(
      'get_ticket_details: follow_up_tools lacks lookup_customer (got [search_tickets])',
    );
    expect(errorCheck({ envelope: { context: { ticket_id: 'TKT-1234', customer_id: { $any: true } } } }).reason).toBe(
      'get_ticket_details: context.ticket_id: expected "TKT-1234", got "TKT-9999"; context.customer_id: missing',
    );
  });

  it('fails an envelope the model never received as a tool message in a later request', () => {
    expect(errorCheck({}, errorRun({ requests: [request()] })).reason).toBe(
      'get_ticket_details: the envelope never reached the model as a tool message',
    );
    const otherCall = [request({ role: 'tool', tool_call_id: 'call_7', content: JSON.stringify(NOT_FOUND) })];
    expect(errorCheck({}, errorRun({ requests: otherCall })).pass).toBe(false);
    const asUserText = [request({ role: 'user', content: JSON.stringify(NOT_FOUND) })];
    expect(errorCheck({}, errorRun({ requests: asUserText })).reason).toBe(
      'get_ticket_details: the envelope never reached the model as a tool message',
    );
  });

  it('fails when the tool message the model received is not the envelope', () => {
    const swapped = [request({ role: 'tool', tool_call_id: 'call_0', content: '{"tickets":[]}' })];
    expect(errorCheck({}, errorRun({ requests: swapped })).reason).toBe(
      'get_ticket_details: the tool message the model received is not the envelope',
    );
  });

  it('requires then_called to come after the failed call, and lists what came after instead', () => {
    const before = calls(
      ['lookup_customer'],
      ['get_ticket_details', { ticket_id: 'TKT-9999' }, { isError: true, envelope: NOT_FOUND, id: 'call_0' }],
      ['search_tickets'],
    );
    expect(errorCheck({ then_called: 'lookup_customer' }, errorRun({ calls: before })).reason).toBe(
      'get_ticket_details: the model did not call lookup_customer afterwards (it called [search_tickets])',
    );
    expect(errorCheck({ then_called: 'search_tickets' }, errorRun({ calls: before })).pass).toBe(true);
  });

  it('passes when any one of several failed calls meets the expectation', () => {
    const other: ErrorEnvelope = { ...NOT_FOUND, error: 'Invalid ticket ID', retryable: false, context: { ticket_id: 'bad' } };
    const observed = calls(
      ['get_ticket_details', { ticket_id: 'bad' }, { isError: true, envelope: other }],
      ['get_ticket_details', { ticket_id: 'TKT-9999' }, { isError: true, envelope: NOT_FOUND }],
    );
    const requests = [
      request(
        { role: 'tool', tool_call_id: 'call_0', content: JSON.stringify(other) },
        { role: 'tool', tool_call_id: 'call_1', content: JSON.stringify(NOT_FOUND) },
      ),
    ];
    expect(errorCheck({ envelope: { error: 'not found' } }, errorRun({ calls: observed, requests })).pass).toBe(true);
    expect(errorCheck({ envelope: { error: 'timed out' } }, errorRun({ calls: observed, requests })).reason).toBe(
      'get_ticket_details: error expected to contain "timed out", got "Invalid ticket ID"',
    );
  });
});

describe('outcome', () => {
  const outcome = (expect: Record<string, unknown>, r: ScenarioRun) => gradeOutcome(expectation(expect), r);

  it('expects a final answer by default and names the stop reason it got', () => {
    expect(outcome({}, run())).toEqual([
      { name: 'stop_reason', pass: true, reason: 'expected stop reason final_answer, got final_answer' },
    ]);
    expect(outcome({}, run({ transcripts: [transcript({ stop_reason: 'max_iterations', answer: null })] }))).toEqual([
      { name: 'stop_reason', pass: false, reason: 'expected stop reason final_answer, got max_iterations' },
    ]);
    expect(outcome({ stop_reason: 'max_iterations' }, run({ transcripts: [transcript({ stop_reason: 'max_iterations' })] }))[0]?.pass).toBe(
      true,
    );
  });

  it('requires every turn but the last to end with an answer in a multi-turn run', () => {
    const turns = [transcript({ stop_reason: 'model_error' }), transcript({ stop_reason: 'max_iterations' })];
    expect(outcome({ stop_reason: 'max_iterations' }, run({ transcripts: turns }))).toEqual([
      { name: 'stop_reason', pass: false, reason: 'turn 1 ended with model_error, expected final_answer' },
      { name: 'stop_reason', pass: true, reason: 'expected stop reason max_iterations, got max_iterations' },
    ]);
    const fine = [transcript(), transcript({ stop_reason: 'max_iterations' })];
    expect(outcome({ stop_reason: 'max_iterations' }, run({ transcripts: fine })).every((r) => r.pass)).toBe(true);
  });

  it('fails a crashed run or a run without turns, and grades nothing else', () => {
    expect(outcome({ answer: { contains: ['x'] } }, run({ crash: 'pool closed' }))).toEqual([
      { name: 'ended_normally', pass: false, reason: 'the run crashed: pool closed' },
    ]);
    expect(outcome({}, run({ transcripts: [] }))).toEqual([{ name: 'ended_normally', pass: false, reason: 'no turn was run' }]);
    const scenario = parseScenario({ id: 'unit', description: 'unit', turns: ['q'], expect: { tools: { calls: [{ name: 'a' }] } } });
    expect(grade(scenario, run({ crash: 'boom' })).map((r) => r.name)).toEqual(['ended_normally']);
  });

  it('bounds iterations per turn with max, and the last turn exactly with exact', () => {
    const turns = [transcript({ iterations: 3 }), transcript({ iterations: 1 })];
    expect(only(outcome({ iterations: { max: 2 } }, run({ transcripts: turns })), 'iterations')).toEqual({
      name: 'iterations',
      pass: false,
      reason: 'expected at most 2 model calls per turn, got 3',
    });
    expect(only(outcome({ iterations: { max: 3 } }, run({ transcripts: turns })), 'iterations').pass).toBe(true);
    expect(only(outcome({ iterations: { exact: 10 } }, run({ transcripts: [transcript({ iterations: 9 })] })), 'iterations')).toEqual({
      name: 'iterations',
      pass: false,
      reason: 'expected 10 model calls, got 9',
    });
    expect(only(outcome({ iterations: { exact: 1 } }, run({ transcripts: turns })), 'iterations').pass).toBe(true);
  });

  it('checks the last answer for contained, absent and matching text', () => {
    const answered = run({ transcripts: [transcript({ answer: 'wrong' }), transcript({ answer: 'Critical: TKT-1001 and tkt-1004.' })] });
    const results = outcome(
      { answer: { contains: ['TKT-1001', 'TKT-1004', 'TKT-9999'], not_contains: ['TKT-1002', 'tkt-1001'], matches: 'TKT-\\d+ and' } },
      answered,
    ).filter((r) => r.name === 'answer');
    expect(results).toEqual([
      { name: 'answer', pass: true, reason: 'contains "TKT-1001"' },
      { name: 'answer', pass: true, reason: 'contains "TKT-1004"' },
      { name: 'answer', pass: false, reason: 'expected to contain "TKT-9999", got "Critical: TKT-1001 and tkt-1004."' },
      { name: 'answer', pass: true, reason: 'does not contain "TKT-1002"' },
      { name: 'answer', pass: false, reason: 'answer must not contain "tkt-1001"' },
      { name: 'answer', pass: true, reason: 'matches /TKT-\\d+ and/' },
    ]);
    expect(only(outcome({ answer: { matches: '^TKT' } }, answered), 'answer')).toEqual({
      name: 'answer',
      pass: false,
      reason: 'expected to match /^TKT/, got "Critical: TKT-1001 and tkt-1004."',
    });
  });

  it('treats a missing answer as empty text', () => {
    const none = run({ transcripts: [transcript({ stop_reason: 'max_iterations', answer: null })] });
    expect(only(outcome({ stop_reason: 'max_iterations', answer: { contains: ['TKT'] } }, none), 'answer')).toEqual({
      name: 'answer',
      pass: false,
      reason: 'expected to contain "TKT", got ""',
    });
  });
});

const modelResponse = (durationMs: number): TranscriptEvent => ({
  type: 'model_response',
  at_ms: 0,
  iteration: 1,
  duration_ms: durationMs,
  content: null,
  tool_calls: [],
  finish_reason: 'stop',
  usage: null,
});

describe('latency', () => {
  it('defaults to the figures of ARCHITECTURE.md', () => {
    expect(DEFAULT_BUDGETS).toEqual({ startup_ms: 3000, discovery_ms: 1000, tool_call_ms: 200, query_ms: 15_000 });
    const atBudget = run({
      startupMs: 3000,
      discoveryMs: 1000,
      calls: calls(['search_tickets', {}, { durationMs: 200 }]),
      transcripts: [transcript({ duration_ms: 15_000 })],
    });
    expect(gradeLatency(undefined, atBudget)).toEqual([
      { name: 'latency:startup', pass: true, reason: 'start-up 3000 ms (budget 3000 ms)' },
      { name: 'latency:discovery', pass: true, reason: 'discovery 1000 ms (budget 1000 ms)' },
      { name: 'latency:tool_call', pass: true, reason: 'slowest tool call search_tickets 200.0 ms (budget 200 ms)' },
      { name: 'latency:query', pass: true, reason: 'query 15000 ms without model time (budget 15000 ms)' },
    ]);
  });

  it('fails each figure just over its default budget, naming the slowest tool', () => {
    const over = run({
      mode: 'live',
      startupMs: 3001,
      discoveryMs: 1001,
      calls: calls(
        ['lookup_customer', {}, { durationMs: 20 }],
        ['search_tickets', {}, { durationMs: 200.5 }],
        ['get_sla_terms', {}, { durationMs: 3 }],
      ),
      transcripts: [transcript({ duration_ms: 15_001 })],
    });
    expect(gradeLatency(undefined, over)).toEqual([
      { name: 'latency:startup', pass: false, reason: 'start-up 3001 ms (budget 3000 ms)' },
      { name: 'latency:discovery', pass: false, reason: 'discovery 1001 ms (budget 1000 ms)' },
      { name: 'latency:tool_call', pass: false, reason: 'slowest tool call search_tickets 200.5 ms (budget 200 ms)' },
      { name: 'latency:query', pass: false, reason: 'query 15001 ms (budget 15000 ms)' },
    ]);
  });

  it('uses the budgets a scenario tightens and keeps the defaults for the others', () => {
    const results = gradeLatency(
      { startup_ms: 500, tool_call_ms: 10 },
      run({ startupMs: 600, discoveryMs: 900, calls: calls(['search_tickets', {}, { durationMs: 11 }]) }),
    );
    expect(results.map((r) => [r.name, r.pass, r.reason])).toEqual([
      ['latency:startup', false, 'start-up 600 ms (budget 500 ms)'],
      ['latency:discovery', true, 'discovery 900 ms (budget 1000 ms)'],
      ['latency:tool_call', false, 'slowest tool call search_tickets 11.0 ms (budget 10 ms)'],
      ['latency:query', true, 'query 100 ms without model time (budget 15000 ms)'],
    ]);
  });

  it('leaves the model time out of the query budget under replay only, summing every turn', () => {
    const turns = [
      transcript({ duration_ms: 9000, events: [modelResponse(4000), modelResponse(4500)] }),
      transcript({ duration_ms: 11_000, events: [modelResponse(10_000)] }),
    ];
    expect(only(gradeLatency(undefined, run({ mode: 'replay', transcripts: turns })), 'latency:query')).toEqual({
      name: 'latency:query',
      pass: true,
      reason: 'query 1500 ms without model time (budget 15000 ms)',
    });
    expect(only(gradeLatency(undefined, run({ mode: 'live', transcripts: turns })), 'latency:query')).toEqual({
      name: 'latency:query',
      pass: false,
      reason: 'query 20000 ms (budget 15000 ms)',
    });
    expect(only(gradeLatency(undefined, run({ mode: 'record', transcripts: turns })), 'latency:query').pass).toBe(false);
  });

  it('names the first of the slowest calls, and leaves calls that waited for a server restart untimed, counting them', () => {
    const observed = calls(
      ['lookup_customer', {}, { durationMs: 40 }],
      ['search_tickets', {}, { durationMs: 2500, serverRestarted: true }],
      ['get_invoice', {}, { durationMs: 40 }],
      ['get_sla_terms', {}, { durationMs: 9000, serverRestarted: true }],
    );
    expect(only(gradeLatency(undefined, run({ calls: observed })), 'latency:tool_call')).toEqual({
      name: 'latency:tool_call',
      pass: true,
      reason: 'slowest tool call lookup_customer 40.0 ms (budget 200 ms); 2 call(s) that waited for a server restart not timed',
    });
  });

  it("takes only the model responses' time out of a replayed query", () => {
    const toolResult: TranscriptEvent = {
      type: 'tool_result',
      at_ms: 0,
      iteration: 1,
      id: 'c',
      name: 't',
      server: 's',
      duration_ms: 30,
      is_error: false,
      content: '',
    };
    const turn = transcript({ duration_ms: 100, events: [{ type: 'user', at_ms: 0, content: 'q' }, modelResponse(40), toolResult] });
    expect(only(gradeLatency(undefined, run({ mode: 'replay', transcripts: [turn] })), 'latency:query')).toEqual({
      name: 'latency:query',
      pass: true,
      reason: 'query 60 ms without model time (budget 15000 ms)',
    });
  });

  it('grades no tool-call latency when no tool was called', () => {
    expect(gradeLatency(undefined, run()).map((r) => r.name)).toEqual(['latency:startup', 'latency:discovery', 'latency:query']);
  });
});

describe('observed calls', () => {
  it('flattens the tool calls of every turn in order, with their results', () => {
    const first = transcript({
      events: [
        {
          type: 'tool_call',
          at_ms: 1,
          iteration: 1,
          id: 'a',
          name: 'get_ticket_details',
          server: 'tickets',
          arguments: { ticket_id: 'TKT-9999' },
          raw_arguments: '{"ticket_id":"TKT-9999"}',
        },
        {
          type: 'tool_call',
          at_ms: 1,
          iteration: 1,
          id: 'b',
          name: 'lookup_customer',
          server: 'customers',
          arguments: null,
          raw_arguments: '{oops',
        },
        {
          type: 'tool_result',
          at_ms: 9,
          iteration: 1,
          id: 'b',
          name: 'lookup_customer',
          server: 'customers',
          duration_ms: 2,
          is_error: false,
          content: '{}',
        },
        {
          type: 'tool_result',
          at_ms: 12,
          iteration: 1,
          id: 'a',
          name: 'get_ticket_details',
          server: 'tickets',
          duration_ms: 11,
          is_error: true,
          content: JSON.stringify(NOT_FOUND),
          envelope: NOT_FOUND,
        },
      ],
    });
    const second = transcript({
      events: [
        {
          type: 'tool_call',
          at_ms: 1,
          iteration: 2,
          id: 'c',
          name: 'search_tickets',
          server: 'tickets',
          arguments: {},
          raw_arguments: '{}',
        },
      ],
    });
    expect(observedCalls([first, second])).toEqual([
      {
        index: 0,
        turn: 0,
        iteration: 1,
        id: 'a',
        name: 'get_ticket_details',
        server: 'tickets',
        arguments: { ticket_id: 'TKT-9999' },
        isError: true,
        envelope: NOT_FOUND,
        durationMs: 11,
      },
      {
        index: 1,
        turn: 0,
        iteration: 1,
        id: 'b',
        name: 'lookup_customer',
        server: 'customers',
        arguments: null,
        isError: false,
        envelope: undefined,
        durationMs: 2,
        malformedArguments: '{oops',
      },
      {
        index: 2,
        turn: 1,
        iteration: 2,
        id: 'c',
        name: 'search_tickets',
        server: 'tickets',
        arguments: {},
        isError: false,
        envelope: undefined,
        durationMs: 0,
      },
    ]);
  });

  it('grades a whole run: outcome, tools, errors and latency together', () => {
    const scenario = parseScenario({
      id: 'unit',
      description: 'unit',
      turns: ['q'],
      expect: {
        tools: { calls: [{ name: 'get_ticket_details' }], forbidden: ['get_invoice'] },
        errors: [{ tool: 'get_ticket_details' }],
        answer: { contains: ['done'] },
      },
    });
    const results = grade(scenario, errorRun());
    expect(results.map((r) => r.name)).toEqual([
      'stop_reason',
      'answer',
      'tools',
      'forbidden:get_invoice',
      'error:get_ticket_details',
      'grounded',
      'latency:startup',
      'latency:discovery',
      'latency:tool_call',
      'latency:query',
    ]);
    expect(results.filter((r) => !r.pass)).toEqual([]);
  });
  it('matches a call without a tool name by its arguments alone, whatever the tool', () => {
    const exp = tools({ mode: 'subset', calls: [{ args: { customer_id: 'CUST-001' } }] });
    expect(only(gradeTools(exp, calls(['get_sla_terms', { customer_id: 'CUST-001' }])), 'tools').pass).toBe(true);
    const miss = only(gradeTools(exp, calls(['get_sla_terms', { customer_id: 'CUST-002' }])), 'tools');
    expect(miss).toEqual({
      name: 'tools',
      pass: false,
      reason:
        'expected [any tool with {"customer_id":"CUST-001"}] (subset), got [get_sla_terms]: no call has the arguments {"customer_id":"CUST-001"} (first call get_sla_terms: customer_id: expected "CUST-001", got "CUST-002")',
    });
  });

  it("grades the answer for groundedness unless the scenario turns it off, and judges from the run's verdicts", () => {
    const told = request({ role: 'tool', tool_call_id: 'c', content: '{"id":"TKT-1001"}' });
    const invented = run({ transcripts: [transcript({ answer: 'TKT-1001 and TKT-1099.' })], requests: [told] });
    expect(only(grade(parseScenario({ id: 'u', description: 'u', turns: ['q'], expect: {} }), invented), 'grounded').reason).toBe(
      "answer mentions TKT-1099, which no tool returned (nor the user's messages)",
    );
    expect(
      grade(parseScenario({ id: 'u', description: 'u', turns: ['q'], expect: { grounded: false } }), invented).some(
        (r) => r.name === 'grounded',
      ),
    ).toBe(false);
    const judged = parseScenario({
      id: 'u',
      description: 'u',
      turns: ['q'],
      expect: {
        grounded: false,
        judge: [
          { rubric: 'a', weight: 2 },
          { name: 'tone', rubric: 'b', threshold: 0.9 },
        ],
      },
    });
    const verdict = (name: string, score: number) => ({
      name,
      model: 'j',
      durationMs: 1,
      usage: null,
      verdict: { score, pass: true, reasons: ['r'] },
      error: undefined,
    });
    const results = grade(judged, { ...invented, judge: [verdict('judge', 0.8), verdict('tone', 0.85)] }).filter((r) =>
      r.name.startsWith('judge:'),
    );
    expect(results).toEqual([
      { name: 'judge:judge', pass: true, score: 0.8, weight: 2, reason: 'score 0.80 (judge says pass, j): r' },
      { name: 'judge:tone', pass: false, score: 0.85, reason: 'score 0.85 (threshold 0.9, j): r' },
    ]);
  });

  it('grades several tools expectations together: an any-of beside an argument check, each under its own name', () => {
    const exp = expectation({
      tools: [
        { mode: 'any_of', calls: [{ name: 'check_payment_status' }, { name: 'calculate_outstanding_balance' }] },
        { mode: 'subset', calls: [{ args: { customer_id: { $any: true } } }], count: { min: 2 } },
      ],
    }).tools;
    const results = gradeTools(
      exp,
      calls(['lookup_customer', { company_name: 'TechCorp' }], ['calculate_outstanding_balance', { customer_id: 'CUST-001' }]),
    );
    expect(results.map((r) => [r.name, r.pass])).toEqual([
      ['tools', true],
      ['tools#2', true],
      ['tool_count#2', true],
    ]);
    const wrong = gradeTools(exp, calls(['get_invoice', { invoice_id: 'INV-2025-004' }]));
    expect(wrong.map((r) => [r.name, r.pass])).toEqual([
      ['tools', false],
      ['tools#2', false],
      ['tool_count#2', false],
    ]);
  });

  it('leaves the stop reason ungraded with "any" and accepts any reason of a list', () => {
    const capped = run({ transcripts: [transcript({ stop_reason: 'max_iterations', answer: null })] });
    expect(gradeOutcome(expectation({ stop_reason: 'any' }), capped).filter((r) => r.name === 'stop_reason')).toEqual([]);
    expect(only(gradeOutcome(expectation({ stop_reason: ['final_answer', 'max_iterations'] }), capped), 'stop_reason').pass).toBe(true);
    expect(only(gradeOutcome(expectation({ stop_reason: ['final_answer', 'model_error'] }), capped), 'stop_reason').reason).toBe(
      'expected stop reason final_answer or model_error, got max_iterations',
    );
  });
});
