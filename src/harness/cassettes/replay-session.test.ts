import { describe, expect, it } from 'vitest';
import { ReplaySession } from './replay-hub.ts';
import type { Cassette } from './cassette.ts';
import { toResponsesRequest } from '../../orchestrator/responses-wire.ts';
import type { ChatRequest } from '../../orchestrator/model-client.ts';

// Replay of a cassette recorded through the Responses API: served while the requests match, and
// every change triaged as it would be in a chat-completions cassette.

const TOOL = {
  type: 'function' as const,
  function: {
    name: 'search_tickets',
    description: 'Find tickets.',
    parameters: { type: 'object', properties: { priority: { type: 'string' } } },
  },
};

function request(result: string, tools = [TOOL]): ChatRequest {
  return {
    model: 'gpt-x',
    messages: [
      { role: 'system', content: 'You are a helpdesk.' },
      { role: 'user', content: 'Critical tickets?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'c1', type: 'function', function: { name: 'search_tickets', arguments: '{}' } }],
      },
      { role: 'tool', tool_call_id: 'c1', content: result },
    ],
    tools,
    tool_choice: 'auto',
  };
}

const REPLY = { status: 200, body: { id: 'resp_1', object: 'response', status: 'completed', output: [] } };

function session(): ReplaySession {
  const cassette: Cassette = {
    format: 1,
    scenario: 's',
    source: 'live',
    model: 'gpt-x',
    api: 'responses',
    recorded_at: '2025-10-05T12:00:00.000Z',
    tools_hash: 'x',
    max_retries: 0,
    interactions: [{ request: toResponsesRequest(request('{"tickets":["TKT-1"]}')), response: REPLY }],
  };
  return new ReplaySession('s', cassette);
}

describe('replaying a Responses API cassette', () => {
  it('serves the recorded reply to the same request, sent as text in the recorded key order', () => {
    const replay = session();
    expect(replay.answerText(JSON.stringify(toResponsesRequest(request('{"tickets":["TKT-1"]}'))))).toEqual(REPLY);
    replay.finish();
    expect(replay.failures).toEqual([]);
  });

  it('classifies a changed tool result as data drift, naming the call, and still serves the recorded reply', () => {
    const replay = session();
    expect(replay.answer(toResponsesRequest(request('{"tickets":["TKT-2"]}')))).toEqual(REPLY);
    expect(replay.failures).toHaveLength(1);
    expect(replay.failures[0]).toMatchObject({ code: 'request_mismatch', kind: 'data' });
    expect(replay.failures[0]?.reason).toContain('search_tickets');
    expect(replay.failures[0]?.diff).toContain('TKT-2');
  });

  it('refuses a changed tool definition, naming the tool', () => {
    const changed = { ...TOOL, function: { ...TOOL.function, description: 'Find tickets by priority.' } };
    const replay = session();
    const answer = replay.answer(toResponsesRequest(request('{"tickets":["TKT-1"]}', [changed])));
    expect(answer.status).toBe(400);
    expect(replay.failures[0]).toMatchObject({
      code: 'tools_changed',
      reason: 'request 1: tool definitions changed: search_tickets (changed)',
    });
  });

  it('refuses a chat-completions request against it, naming both wire formats', () => {
    const replay = session();
    const answer = replay.answer(request('{"tickets":["TKT-1"]}'));
    expect(answer.status).toBe(400);
    expect(replay.failures[0]?.reason).toBe(
      'request 1 was recorded through the Responses API but is now sent through chat completions; record the cassette again',
    );
  });
});
