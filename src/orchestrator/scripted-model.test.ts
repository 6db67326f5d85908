import { describe, expect, it } from 'vitest';
import { ModelError } from './errors.ts';
import { ScriptedModel, scriptedResponse } from './scripted-model.ts';

const request = { model: 'scripted-model', messages: [{ role: 'user' as const, content: 'hi' }] };

describe('ScriptedModel', () => {
  it('answers turn by turn in chat-completions format, numbering ids and calls by turn', async () => {
    const model = new ScriptedModel(
      [
        {
          toolCalls: [
            { name: 'get_ticket', arguments: { ticket_id: 'TKT-1' } },
            { name: 'search_kb', arguments: '{"q":"vpn"}', id: 'mine' },
            { name: 'list', arguments: undefined },
          ],
          content: 'Looking.',
        },
        { answer: 'Done.' },
      ],
      'm-1',
    );
    expect(await model.complete(request)).toEqual({
      id: 'chatcmpl-scripted-0',
      model: 'm-1',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: 'Looking.',
            tool_calls: [
              { id: 'call_0_0', type: 'function', function: { name: 'get_ticket', arguments: '{"ticket_id":"TKT-1"}' } },
              { id: 'mine', type: 'function', function: { name: 'search_kb', arguments: '{"q":"vpn"}' } },
              { id: 'call_0_2', type: 'function', function: { name: 'list', arguments: '{}' } },
            ],
          },
          finish_reason: 'tool_calls',
        },
      ],
      usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
    });
    expect(model.remaining).toBe(1);
    expect(await model.complete(request)).toEqual({
      id: 'chatcmpl-scripted-1',
      model: 'm-1',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Done.' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
    });
    expect(model.remaining).toBe(0);
    expect(() => model.assertComplete()).not.toThrow();
  });

  it('keeps a copy of every request it was asked', async () => {
    const model = new ScriptedModel([{ answer: 'a' }]);
    const messages = [{ role: 'user' as const, content: 'first' }];
    await model.complete({ model: 'scripted-model', messages });
    messages.push({ role: 'user', content: 'later' });
    expect(model.requests).toEqual([{ model: 'scripted-model', messages: [{ role: 'user', content: 'first' }] }]);
    expect(model.model).toBe('scripted-model');
    expect(scriptedResponse({ toolCalls: [] }, 'x', 3).choices[0]?.message.content).toBeNull();
  });

  it('throws a scripted error, says when it has no turn left, and refuses a cancelled request before using a turn', async () => {
    const failure = new ModelError('rate_limit', 'Slow down.', 429);
    const model = new ScriptedModel([{ error: failure }, { answer: 'after' }]);
    await expect(model.complete(request)).rejects.toBe(failure);
    const cancelled = await model.complete(request, { signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(cancelled).toMatchObject({ kind: 'aborted', message: 'The model request was cancelled.' });
    expect(model.requests).toHaveLength(1);
    expect(model.remaining).toBe(1);
    expect(() => model.assertComplete()).toThrow('Scripted model: 1 of 2 turns were never requested.');
    await model.complete(request);
    const none = await model.complete(request).catch((e: unknown) => e);
    expect(none).toBeInstanceOf(ModelError);
    expect(none).toMatchObject({ kind: 'malformed_reply', message: 'Scripted model has no turn 3 (it has 2).' });
  });
});
