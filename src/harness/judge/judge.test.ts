import { describe, expect, it } from 'vitest';
import type { ChatRequest, ChatResponse, ModelClient } from '../../orchestrator/model-client.ts';
import type { Transcript } from '../../orchestrator/transcript.ts';
import { judgeRequest, judgeSections, JUDGE_TOOL_RESULT_CHARS } from './request.ts';
import { askJudge, judgeCheck, parseVerdict } from './verdict.ts';

function transcript(query: string, answer: string, result = '{"tickets":["TKT-1001"]}'): Transcript {
  return {
    version: 1,
    query,
    model: 'agent',
    started_at: '',
    duration_ms: 1,
    stop_reason: 'final_answer',
    iterations: 2,
    max_iterations: 10,
    answer,
    usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
    events: [
      {
        type: 'tool_call',
        at_ms: 0,
        iteration: 1,
        id: 'c1',
        name: 'search_tickets',
        server: 'tickets',
        arguments: { priority: 'critical' },
        raw_arguments: '{"priority":"critical"}',
      },
      {
        type: 'tool_result',
        at_ms: 1,
        iteration: 1,
        id: 'c1',
        name: 'search_tickets',
        server: 'tickets',
        duration_ms: 1,
        is_error: false,
        content: result,
      },
    ],
  };
}

const SPEC = { name: 'judge', rubric: 'Lists every critical ticket.', reference: 'TKT-1001.', threshold: 0.7 };

/** A judge that answers with the given text and keeps what it was asked. */
function judgeAnswering(text: string): ModelClient & { asked: ChatRequest[] } {
  const asked: ChatRequest[] = [];
  return {
    model: 'judge-model',
    asked,
    async complete(request) {
      asked.push(request);
      return {
        choices: [{ message: { role: 'assistant', content: text } }],
        usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
      } as ChatResponse;
    },
  };
}

describe('judge', () => {
  it('asks for a structured verdict with the conversation, rubric, reference, tool results and answer as named sections', () => {
    const request = judgeRequest(SPEC, [transcript('first?', 'one'), transcript('Which are critical?', 'TKT-1001 is.')], 'j');
    expect(request.model).toBe('j');
    expect(request.response_format?.type).toBe('json_schema');
    const sections = judgeSections(request);
    expect([...sections.keys()]).toEqual(['Conversation', 'Rubric', 'Reference answer', 'Tool calls and results', 'Answer to grade']);
    expect(sections.get('Conversation')).toBe('user: first?\nassistant: one\nuser: Which are critical?');
    expect(sections.get('Tool calls and results')).toContain('call search_tickets {"priority":"critical"}');
    expect(sections.get('Answer to grade')).toBe('TKT-1001 is.');
    expect(judgeSections(judgeRequest({ name: 'j', rubric: 'r' }, [transcript('q', 'a')], 'j')).has('Reference answer')).toBe(false);
  });

  it('builds the same request for the same run, so a replayed verdict matches byte for byte', () => {
    const run = [transcript('q', 'a')];
    expect(JSON.stringify(judgeRequest(SPEC, run, 'j'))).toBe(JSON.stringify(judgeRequest({ ...SPEC }, run, 'j')));
  });

  it('cuts a long tool result and says so', () => {
    const text =
      judgeSections(judgeRequest(SPEC, [transcript('q', 'a', 'x'.repeat(JUDGE_TOOL_RESULT_CHARS + 50))], 'j')).get(
        'Tool calls and results',
      ) ?? '';
    expect(text).toContain(`… (cut at ${JUDGE_TOOL_RESULT_CHARS} characters)`);
    expect(text.length).toBeLessThan(JUDGE_TOOL_RESULT_CHARS + 200);
  });

  it('reads a verdict, fenced or not, and says what is wrong with anything else', () => {
    expect(parseVerdict('```json\n{"score":0.8,"pass":true,"reasons":["ok"]}\n```')).toEqual({ score: 0.8, pass: true, reasons: ['ok'] });
    expect(parseVerdict('I think it is fine')).toBe('the judge\'s reply is not JSON: "I think it is fine"');
    expect(parseVerdict('{"score":2,"pass":true,"reasons":[]}')).toMatch(/^the judge's reply is not a verdict \(score: /);
  });

  it("passes on the score against a threshold, else on the judge's own pass, and carries the reasons", async () => {
    const call = await askJudge(SPEC, [transcript('q', 'a')], judgeAnswering('{"score":0.6,"pass":true,"reasons":["Misses TKT-1004."]}'));
    expect(call).toMatchObject({ name: 'judge', model: 'judge-model', usage: { total_tokens: 15 }, error: undefined });
    expect(judgeCheck(0.7, call)).toEqual({ pass: false, score: 0.6, reason: 'score 0.60 (threshold 0.7, judge-model): Misses TKT-1004.' });
    expect(judgeCheck(undefined, call)).toMatchObject({
      pass: true,
      reason: 'score 0.60 (judge says pass, judge-model): Misses TKT-1004.',
    });
  });

  it("uses the model the scenario names for its judge over the client's default", async () => {
    const client = judgeAnswering('{"score":1,"pass":true,"reasons":[]}');
    await askJudge({ ...SPEC, model: 'gpt-judge' }, [transcript('q', 'a')], client);
    expect(client.asked[0]?.model).toBe('gpt-judge');
  });

  it('turns a failed judge call or a bad reply into a failed check with the cause, never a throw', async () => {
    const failing: ModelClient = {
      model: 'j',
      complete: async () => {
        throw new Error('HTTP 503');
      },
    };
    const call = await askJudge(SPEC, [transcript('q', 'a')], failing);
    expect(judgeCheck(0.7, call)).toEqual({ pass: false, score: 0, reason: 'the judge call failed: HTTP 503' });
    const bad = await askJudge(SPEC, [transcript('q', 'a')], judgeAnswering('nope'));
    expect(judgeCheck(0.7, bad).reason).toBe('the judge\'s reply is not JSON: "nope"');
    expect(judgeCheck(0.7, undefined).reason).toBe('the judge was not asked (the run ended without an answer to grade)');
  });

  it('shows the judge every call and result, errors marked, and says so when no tool was called', () => {
    const failed = transcript('q', 'a');
    const events = [
      {
        type: 'tool_call' as const,
        at_ms: 0,
        iteration: 1,
        id: 'c2',
        name: 'get_ticket',
        server: 'tickets',
        arguments: {},
        raw_arguments: '',
      },
      {
        type: 'tool_result' as const,
        at_ms: 1,
        iteration: 1,
        id: 'c2',
        name: 'get_ticket',
        server: 'tickets',
        duration_ms: 1,
        is_error: true,
        content: '{"error":"Ticket not found"}',
      },
      { type: 'final_answer' as const, at_ms: 2, content: 'a' },
    ];
    const request = judgeRequest(SPEC, [{ ...failed, events: [...failed.events, ...events] }], 'j');
    expect(judgeSections(request).get('Tool calls and results')).toBe(
      [
        'call search_tickets {"priority":"critical"}',
        'result of search_tickets: {"tickets":["TKT-1001"]}',
        'call get_ticket {}',
        'result of get_ticket (error): {"error":"Ticket not found"}',
      ].join('\n'),
    );
    expect(judgeSections(judgeRequest(SPEC, [{ ...failed, events: [] }], 'j')).get('Tool calls and results')).toBe('(no tool was called)');
    const exact = 'y'.repeat(JUDGE_TOOL_RESULT_CHARS);
    expect(judgeSections(judgeRequest(SPEC, [transcript('q', 'a', exact)], 'j')).get('Tool calls and results')).toBe(
      `call search_tickets {"priority":"critical"}\nresult of search_tickets: ${exact}`,
    );
    const long = judgeSections(judgeRequest(SPEC, [transcript('q', 'a', `${exact}z`)], 'j')).get('Tool calls and results');
    expect(long).toBe(
      `call search_tickets {"priority":"critical"}\nresult of search_tickets: ${exact} … (cut at ${JUDGE_TOOL_RESULT_CHARS} characters)`,
    );
  });

  it('sends the instructions as the system message and asks for a strict verdict schema', () => {
    const request = judgeRequest(SPEC, [{ ...transcript('q', 'a'), answer: null }], 'j');
    expect(request.messages[0]?.role).toBe('system');
    expect(request.messages[0]?.content).toMatch(/^You grade the final answer of an IT-support assistant/);
    expect(request.messages[0]?.content).toContain('reasons (short sentences)');
    expect(request.messages[1]?.role).toBe('user');
    expect(request.messages[1]?.content).toMatch(
      /^## Conversation\nuser: q\n\n## Rubric\nLists every critical ticket\.\n\n## Reference answer\nTKT-1001\.\n\n## Tool calls and results\n/,
    );
    expect(judgeSections(request).get('Answer to grade')).toBe('');
    expect(request.response_format).toEqual({
      type: 'json_schema',
      json_schema: {
        name: 'verdict',
        strict: true,
        schema: expect.objectContaining({ type: 'object', required: ['score', 'pass', 'reasons'] }),
      },
    });
  });

  it('splits nothing out of a request without a user message, and keeps a heading without a body', () => {
    expect(judgeSections(undefined).size).toBe(0);
    expect(judgeSections({ messages: [{ role: 'system', content: '## A\nb' }] }).size).toBe(0);
    expect(judgeSections({ messages: [{ role: 'user', content: [{ type: 'text' }] }] }).size).toBe(0);
    expect([...judgeSections({ messages: [{ role: 'user', content: '## Only\n\n## Rubric\nline 1\nline 2\n\n' }] })]).toEqual([
      ['Only', ''],
      ['Rubric', 'line 1\nline 2'],
    ]);
    expect([...judgeSections({ messages: [{ role: 'user', content: '## Bare' }] })]).toEqual([['Bare', '']]);
    expect([...judgeSections({ messages: [{ role: 'user', content: 'text ## not a heading\n## H\nx' }] })]).toEqual([
      ['text ## not a heading', ''],
      ['H', 'x'],
    ]);
  });

  it('reads a verdict in a bare fence or padded, and quotes at most 120 characters of a reply that is not JSON', () => {
    const verdict = { score: 0.5, pass: false, reasons: [] };
    expect(parseVerdict(`\`\`\`\n${JSON.stringify(verdict)}\n\`\`\``)).toEqual(verdict);
    expect(parseVerdict(`  ${JSON.stringify(verdict)}  `)).toEqual(verdict);
    expect(parseVerdict(`\`\`\`json${JSON.stringify(verdict)}\`\`\``)).toEqual(verdict);
    expect(parseVerdict(null)).toBe('the judge\'s reply is not JSON: ""');
    expect(parseVerdict(`${'w'.repeat(130)}`)).toBe(`the judge's reply is not JSON: "${'w'.repeat(120)}"`);
    expect(parseVerdict('[1]')).toMatch(/^the judge's reply is not a verdict \(top level: .+\)$/);
    expect(parseVerdict('{"score":0.5,"pass":"yes","reasons":[]}')).toMatch(
      /^the judge's reply is not a verdict \(pass: Invalid input: expected boolean, received string\)$/,
    );
  });

  it('passes a score equal to the threshold, and gives no reasons part when the judge gave none', () => {
    const call = {
      name: 'judge',
      model: 'm',
      durationMs: 1,
      usage: null,
      error: undefined,
      verdict: { score: 0.7, pass: false, reasons: [] },
    };
    expect(judgeCheck(0.7, call)).toEqual({ pass: true, score: 0.7, reason: 'score 0.70 (threshold 0.7, m)' });
    expect(judgeCheck(undefined, call)).toEqual({ pass: false, score: 0.7, reason: 'score 0.70 (judge says fail, m)' });
    expect(judgeCheck(0.7, { ...call, verdict: undefined, error: undefined })).toEqual({
      pass: false,
      score: 0,
      reason: 'the judge gave no verdict',
    });
    expect(judgeCheck(0.7, { ...call, verdict: { score: 1, pass: true, reasons: ['A.', 'B.'] } }).reason).toBe(
      'score 1.00 (threshold 0.7, m): A. B.',
    );
  });

  it('passes the signal on, times the call and keeps no usage the judge did not report', async () => {
    const seen: (AbortSignal | undefined)[] = [];
    const client: ModelClient = {
      model: 'judge-model',
      async complete(_request, options = {}) {
        seen.push(options.signal);
        await new Promise((r) => setTimeout(r, 15));
        return { choices: [{ message: { role: 'assistant', content: '{"score":1,"pass":true,"reasons":[]}' } }] } as ChatResponse;
      },
    };
    const controller = new AbortController();
    const call = await askJudge(SPEC, [transcript('q', 'a')], client, controller.signal);
    expect(seen).toEqual([controller.signal]);
    expect(call.usage).toBeNull();
    expect(call.durationMs).toBeGreaterThanOrEqual(10);
    expect(call.durationMs).toBeLessThan(5_000);
    const empty = await askJudge(SPEC, [transcript('q', 'a')], {
      model: 'j',
      complete: async () => ({ choices: [] }) as unknown as ChatResponse,
    });
    expect(empty.error).toBe('the judge\'s reply is not JSON: ""');
    const failing = await askJudge(SPEC, [transcript('q', 'a')], {
      model: 'j',
      complete: async () => {
        throw new Error('down');
      },
    });
    expect(failing.durationMs).toBeGreaterThanOrEqual(0);
    expect(failing.durationMs).toBeLessThan(5_000);
    expect(failing).toMatchObject({ usage: null, verdict: undefined, model: 'j', error: 'the judge call failed: down' });
  });

  it("shows an earlier turn without an answer as an empty reply, and grades the last turn's answer of many, or none", () => {
    const turns = [{ ...transcript('first?', 'one'), answer: null }, transcript('second?', 'two'), transcript('third?', 'three')];
    const sections = judgeSections(judgeRequest(SPEC, turns, 'j'));
    expect(sections.get('Conversation')).toBe('user: first?\nassistant: \nuser: second?\nassistant: two\nuser: third?');
    expect(sections.get('Answer to grade')).toBe('three');
    const none = judgeSections(judgeRequest(SPEC, [], 'j'));
    expect([none.get('Conversation'), none.get('Tool calls and results'), none.get('Answer to grade')]).toEqual([
      '',
      '(no tool was called)',
      '',
    ]);
  });

  it("trims the spaces around a section's heading", () => {
    expect([...judgeSections({ messages: [{ role: 'user', content: '## Rubric  \nbe brief\n## Answer to grade  ' }] })]).toEqual([
      ['Rubric', 'be brief'],
      ['Answer to grade', ''],
    ]);
  });

  it("takes the fences off a padded reply, and keeps fences inside the verdict's text", () => {
    expect(parseVerdict('  ```json\n{"score":1,"pass":true,"reasons":[]}\n```  ')).toEqual({ score: 1, pass: true, reasons: [] });
    expect(parseVerdict('{"score":1,"pass":true,"reasons":["cites ```json\\n``` as asked"]}')).toEqual({
      score: 1,
      pass: true,
      reasons: ['cites ```json\n``` as asked'],
    });
  });

  it('names the nested path of what is wrong in a reply', () => {
    expect(parseVerdict('{"score":0.5,"pass":true,"reasons":["ok", 2]}')).toBe(
      "the judge's reply is not a verdict (reasons.1: Invalid input: expected string, received number)",
    );
  });

  it('fails the check, with no score, when the judge was not asked', () => {
    expect(judgeCheck(0.7, undefined)).toEqual({
      pass: false,
      score: 0,
      reason: 'the judge was not asked (the run ended without an answer to grade)',
    });
  });
});
