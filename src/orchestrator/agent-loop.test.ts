import { describe, expect, it } from 'vitest';
import { parseArguments, runQuery } from './agent-loop.ts';
import type { ToolRouter } from './tool-router.ts';
import { ScriptedModel } from './scripted-model.ts';

const noTools: ToolRouter = {
  openAITools: () => [],
  serverOf: () => undefined,
  callTool: () => Promise.reject(new Error('no tool should be called')),
};

const call = (args: string) => ({ id: 'c1', type: 'function' as const, function: { name: 'get_article', arguments: args } });

describe('agent loop without servers', () => {
  it('sends neither tools nor tool_choice when no tool is offered', async () => {
    const model = new ScriptedModel([{ answer: 'Hello.' }]);
    const { transcript } = await runQuery({ model, tools: noTools, query: 'Hi', systemPrompt: 'Be brief.' });
    expect(transcript.answer).toBe('Hello.');
    expect(model.requests[0]).toEqual({
      model: 'scripted-model',
      messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }],
    });
  });

  it('reads empty arguments as none and rejects what is not one JSON object, saying why', () => {
    expect(parseArguments(call(''))).toEqual({ ok: true, args: {} });
    expect(parseArguments(call('{"article_id":"KB-001"}'))).toEqual({ ok: true, args: { article_id: 'KB-001' } });
    const broken = parseArguments(call('{"article_id": "KB-001"'));
    expect(broken.ok ? undefined : broken.envelope).toMatchObject({
      error: 'Malformed arguments for get_article',
      reason: 'The arguments must be one JSON object; they are not valid JSON.',
      context: { tool: 'get_article', raw_arguments: '{"article_id": "KB-001"' },
    });
    const list = parseArguments(call('["KB-001"]'));
    expect(list.ok ? undefined : list.envelope?.reason).toBe('The arguments must be one JSON object; got an array.');
  });
});
