import { describe, expect, it } from 'vitest';
import type { ChatRequest, ChatResponse, ModelClient } from '../../orchestrator/chat.ts';
import type { Transcript } from '../../orchestrator/transcript.ts';
import { askJudge, judgeCheck, judgeRequest, judgeSections, parseVerdict, JUDGE_TOOL_RESULT_CHARS } from './judge.ts';

function transcript(query: string, answer: string, result = '{"tickets":["TKT-1001"]}'): Transcript {
  return {
    version: 1, query, model: 'agent', started_at: '', duration_ms: 1, stop_reason: 'final_answer', iterations: 2, max_iterations: 10,
    answer, usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
    events: [
      { type: 'tool_call', at_ms: 0, iteration: 1, id: 'c1', name: 'search_tickets', server: 'tickets', arguments: { priority: 'critical' }, raw_arguments: '{"priority":"critical"}' },
      { type: 'tool_result', at_ms: 1, iteration: 1, id: 'c1', name: 'search_tickets', server: 'tickets', duration_ms: 1, is_error: false, content: result },
    ],
  };
}

const SPEC = { name: 'judge', rubric: 'Lists every critical ticket.', reference: 'TKT-1001.', threshold: 0.7 };

/** A judge that answers with the given text and keeps what it was asked. */
function judgeAnswering(text: string): ModelClient & { asked: ChatRequest[] } {
  const asked: ChatRequest[] = [];
  return {
    model: 'judge-model', asked,
    async complete(request) {
      asked.push(request);
      return { choices: [{ message: { role: 'assistant', content: text } }], usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } } as ChatResponse;
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
    const text = judgeSections(judgeRequest(SPEC, [transcript('q', 'a', 'x'.repeat(JUDGE_TOOL_RESULT_CHARS + 50))], 'j')).get('Tool calls and results') ?? '';
    expect(text).toContain(`… (cut at ${JUDGE_TOOL_RESULT_CHARS} characters)`);
    expect(text.length).toBeLessThan(JUDGE_TOOL_RESULT_CHARS + 200);
  });

  it('reads a verdict, fenced or not, and says what is wrong with anything else', () => {
    expect(parseVerdict('```json\n{"score":0.8,"pass":true,"reasons":["ok"]}\n```')).toEqual({ score: 0.8, pass: true, reasons: ['ok'] });
    expect(parseVerdict('I think it is fine')).toBe('the judge\'s reply is not JSON: "I think it is fine"');
    expect(parseVerdict('{"score":2,"pass":true,"reasons":[]}')).toMatch(/^the judge's reply is not a verdict \(score: /);
  });

  it('passes on the score against a threshold, else on the judge\'s own pass, and carries the reasons', async () => {
    const call = await askJudge(SPEC, [transcript('q', 'a')], judgeAnswering('{"score":0.6,"pass":true,"reasons":["Misses TKT-1004."]}'));
    expect(call).toMatchObject({ name: 'judge', model: 'judge-model', usage: { total_tokens: 15 }, error: undefined });
    expect(judgeCheck(0.7, call)).toEqual({ pass: false, score: 0.6, reason: 'score 0.60 (threshold 0.7, judge-model): Misses TKT-1004.' });
    expect(judgeCheck(undefined, call)).toMatchObject({ pass: true, reason: 'score 0.60 (judge says pass, judge-model): Misses TKT-1004.' });
  });

  it('uses the model the scenario names for its judge over the client\'s default', async () => {
    const client = judgeAnswering('{"score":1,"pass":true,"reasons":[]}');
    await askJudge({ ...SPEC, model: 'gpt-judge' }, [transcript('q', 'a')], client);
    expect(client.asked[0]?.model).toBe('gpt-judge');
  });

  it('turns a failed judge call or a bad reply into a failed check with the cause, never a throw', async () => {
    const failing: ModelClient = { model: 'j', complete: async () => { throw new Error('HTTP 503'); } };
    const call = await askJudge(SPEC, [transcript('q', 'a')], failing);
    expect(judgeCheck(0.7, call)).toEqual({ pass: false, score: 0, reason: 'the judge call failed: HTTP 503' });
    const bad = await askJudge(SPEC, [transcript('q', 'a')], judgeAnswering('nope'));
    expect(judgeCheck(0.7, bad).reason).toBe('the judge\'s reply is not JSON: "nope"');
    expect(judgeCheck(0.7, undefined).reason).toBe('the judge was not asked (the run ended without an answer to grade)');
  });
});
