import { describe, expect, it } from 'vitest';
import type { ChatRequest } from './model-client.ts';
import { asChatRequest, fromResponsesReply, isResponsesRequest, toResponsesReply, toResponsesRequest } from './responses-wire.ts';

const tool = {
  type: 'function' as const,
  function: { name: 'search_tickets', description: 'Find tickets.', parameters: { type: 'object', properties: {} } },
};

const request: ChatRequest = {
  model: 'gpt-x',
  messages: [
    { role: 'system', content: 'You are a helpdesk.' },
    { role: 'user', content: 'Critical tickets of CUST-001?' },
    {
      role: 'assistant',
      content: 'Looking.',
      tool_calls: [
        { id: 'call_1', type: 'function', function: { name: 'search_tickets', arguments: '{"customer_id":"CUST-001"}' } },
        { id: 'call_2', type: 'function', function: { name: 'search_tickets', arguments: '{}' } },
      ],
    },
    { role: 'tool', tool_call_id: 'call_1', content: '{"tickets":[]}' },
    { role: 'tool', tool_call_id: 'call_2', content: '{"tickets":[1]}' },
  ],
  tools: [tool],
  tool_choice: 'auto',
  temperature: 0.2,
  parallel_tool_calls: false,
  max_completion_tokens: 300,
};

describe('the Responses API request', () => {
  it('carries the conversation as input items, the tools flat and not strict, and the settings under their Responses names', () => {
    const body = toResponsesRequest(request);
    expect(body.input).toEqual([
      { role: 'system', content: 'You are a helpdesk.' },
      { role: 'user', content: 'Critical tickets of CUST-001?' },
      { role: 'assistant', content: 'Looking.' },
      { type: 'function_call', call_id: 'call_1', name: 'search_tickets', arguments: '{"customer_id":"CUST-001"}' },
      { type: 'function_call', call_id: 'call_2', name: 'search_tickets', arguments: '{}' },
      { type: 'function_call_output', call_id: 'call_1', output: '{"tickets":[]}' },
      { type: 'function_call_output', call_id: 'call_2', output: '{"tickets":[1]}' },
    ]);
    expect(body.tools).toEqual([
      { type: 'function', name: 'search_tickets', description: 'Find tickets.', parameters: tool.function.parameters, strict: false },
    ]);
    expect(body).toMatchObject({
      model: 'gpt-x',
      tool_choice: 'auto',
      temperature: 0.2,
      parallel_tool_calls: false,
      max_output_tokens: 300,
      store: false,
    });
    expect(body).not.toHaveProperty('messages');
    expect(body).not.toHaveProperty('max_completion_tokens');
    expect(isResponsesRequest(body)).toBe(true);
    expect(isResponsesRequest(request)).toBe(false);
  });

  it('reads back as the chat request it stands for, so triage compares one shape', () => {
    expect(asChatRequest(toResponsesRequest(request))).toEqual({
      model: 'gpt-x',
      messages: request.messages,
      tools: [tool],
      tool_choice: 'auto',
      temperature: 0.2,
      parallel_tool_calls: false,
      max_completion_tokens: 300,
    });
    // a chat body passes through untouched
    expect(asChatRequest(request)).toBe(request);
  });

  it('refuses a seed, which the Responses API does not have, with what to do', () => {
    expect(() => toResponsesRequest({ ...request, seed: 7 })).toThrow(/Responses API has no seed setting; remove "seed"/);
  });

  it('asks for a JSON verdict through text.format', () => {
    const body = toResponsesRequest({
      model: 'judge',
      messages: [{ role: 'user', content: 'grade' }],
      response_format: { type: 'json_schema', json_schema: { name: 'verdict', schema: { type: 'object' }, strict: true } },
    });
    expect(body.text).toEqual({ format: { type: 'json_schema', name: 'verdict', schema: { type: 'object' }, strict: true } });
    expect(body).not.toHaveProperty('tools');
  });
});

describe('the Responses API reply', () => {
  it('becomes a chat completion: text joined, function calls as tool calls by call_id, reasoning items skipped, usage renamed', () => {
    const reply = fromResponsesReply({
      id: 'resp_1',
      model: 'gpt-x',
      status: 'completed',
      output: [
        { type: 'reasoning', id: 'rs_1', summary: [] },
        {
          type: 'message',
          role: 'assistant',
          content: [
            { type: 'output_text', text: 'Two ' },
            { type: 'output_text', text: 'tickets.' },
          ],
        },
        { type: 'function_call', id: 'fc_1', call_id: 'call_9', name: 'get_ticket', arguments: '{"id":"TKT-1"}' },
      ],
      usage: { input_tokens: 11, output_tokens: 5, total_tokens: 16 },
    });
    expect(reply.choices[0]).toEqual({
      index: 0,
      finish_reason: 'tool_calls',
      message: {
        role: 'assistant',
        content: 'Two tickets.',
        tool_calls: [{ id: 'call_9', type: 'function', function: { name: 'get_ticket', arguments: '{"id":"TKT-1"}' } }],
      },
    });
    expect(reply.usage).toEqual({ prompt_tokens: 11, completion_tokens: 5, total_tokens: 16 });
  });

  it('says when the answer was cut off, keeps a refusal, and reads a missing usage as unknown', () => {
    const cut = fromResponsesReply({
      status: 'incomplete',
      incomplete_details: { reason: 'max_output_tokens' },
      output: [{ type: 'message', content: [{ type: 'refusal', refusal: 'I cannot.' }] }],
    });
    expect(cut.choices[0]?.finish_reason).toBe('length');
    expect(cut.choices[0]?.message).toEqual({ role: 'assistant', content: null, refusal: 'I cannot.' });
    expect(cut.usage).toBeNull();
  });

  it('refuses a body that is not a response, naming the field, and a failed response with its error', () => {
    expect(() => fromResponsesReply({ choices: [] })).toThrow(/not a Responses API response \(output: /);
    expect(() => fromResponsesReply({ status: 'failed', error: { message: 'overloaded' }, output: [] })).toThrow(
      /could not produce a response: overloaded/,
    );
  });

  it('round-trips a scripted chat completion (what authoring answers a Responses request with)', () => {
    const chat = {
      id: 'x',
      model: 'm',
      choices: [
        {
          index: 0,
          finish_reason: 'tool_calls',
          message: {
            role: 'assistant' as const,
            content: null,
            tool_calls: [{ id: 'c1', type: 'function' as const, function: { name: 't', arguments: '{}' } }],
          },
        },
      ],
      usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
    };
    expect(fromResponsesReply(toResponsesReply(chat))).toEqual({ id: 'resp_x', model: 'm', choices: chat.choices, usage: chat.usage });
  });
});
