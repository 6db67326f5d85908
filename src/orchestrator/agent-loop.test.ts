import { describe, expect, it } from 'vitest';
import { parseArguments, runQuery } from './agent-loop.ts';
import type { ChatRequest, ChatResponse, ModelClient, Usage } from './model-client.ts';
import { ModelError } from './errors.ts';
import type { ToolCallOutcome, ToolRouter } from './tool-router.ts';
import type { TranscriptEvent } from './transcript.ts';
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
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
    });
  });

  it('sends the sampling settings it is given, in wire names, and parallel_tool_calls only beside tools', async () => {
    const settings = { temperature: 0.2, seed: 7, parallel_tool_calls: false, max_tokens: 512 };
    const bare = new ScriptedModel([{ answer: 'Hello.' }]);
    await runQuery({ model: bare, tools: noTools, query: 'Hi', systemPrompt: 'Be brief.', settings });
    expect(bare.requests[0]).toEqual({
      model: 'scripted-model',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
      temperature: 0.2,
      seed: 7,
      max_completion_tokens: 512,
    });
    const tool = {
      type: 'function' as const,
      function: { name: 'get_article', description: 'd', parameters: { type: 'object', properties: {} } },
    };
    const withTools: ToolRouter = { ...noTools, openAITools: () => [tool] };
    const tooled = new ScriptedModel([{ answer: 'Hello.' }]);
    await runQuery({ model: tooled, tools: withTools, query: 'Hi', systemPrompt: 'Be brief.', settings: { parallel_tool_calls: false } });
    expect(tooled.requests[0]).toMatchObject({ tools: [tool], tool_choice: 'auto', parallel_tool_calls: false });
    expect(Object.keys(tooled.requests[0] ?? {})).toEqual(['model', 'messages', 'tools', 'tool_choice', 'parallel_tool_calls']);
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

/** A router over two fake tools with fixed answers; records the calls it was asked to make. */
function fakeRouter(answers: Record<string, (args: Record<string, unknown>, signal?: AbortSignal) => Promise<ToolCallOutcome>>) {
  const calls: { name: string; args: Record<string, unknown>; signal: AbortSignal | undefined }[] = [];
  const router: ToolRouter = {
    openAITools: () =>
      Object.keys(answers).map((name) => ({
        type: 'function',
        function: { name, description: name, parameters: { type: 'object', properties: {} } },
      })),
    serverOf: (name) => (name in answers ? `${name}-server` : undefined),
    callTool: (name, args, signal) => {
      calls.push({ name, args, signal });
      const answer = answers[name];
      return answer ? answer(args, signal) : Promise.reject(new Error(`no tool ${name}`));
    },
  };
  return { router, calls };
}

const ok = (tool: string, content: string, durationMs = 1.5): Promise<ToolCallOutcome> =>
  Promise.resolve({ server: `${tool}-server`, tool, content, durationMs });

const failing = (tool: string): Promise<ToolCallOutcome> => {
  const envelope = { error: `Ticket not found`, reason: 'No ticket TKT-9', suggested_actions: ['Search first.'], retryable: true };
  return Promise.resolve({ server: `${tool}-server`, tool, content: JSON.stringify(envelope), envelope, durationMs: 2 });
};

/** A model answering from a list of chat-completions replies (or errors), keeping each request and signal. */
function replies(...turns: (ChatResponse | Error)[]) {
  const requests: { request: ChatRequest; signal: AbortSignal | undefined; messages: number }[] = [];
  const model: ModelClient = {
    model: 'fake-model',
    complete: async (request, options = {}) => {
      requests.push({ request, signal: options.signal, messages: request.messages.length });
      const turn = turns[requests.length - 1];
      if (!turn) throw new Error('no more turns');
      if (turn instanceof Error) throw turn;
      return turn;
    },
  };
  return { model, requests };
}

const usage = (prompt: number, completion: number) => ({
  prompt_tokens: prompt,
  completion_tokens: completion,
  total_tokens: prompt + completion,
});

function toolTurn(calls: [id: string, name: string, args: string][], extra: { usage?: Usage; content?: string } = {}): ChatResponse {
  return {
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: extra.content ?? null,
          tool_calls: calls.map(([id, name, args]) => ({ id, type: 'function' as const, function: { name, arguments: args } })),
        },
        finish_reason: 'tool_calls',
      },
    ],
    ...(extra.usage ? { usage: extra.usage } : {}),
  };
}

function answerTurn(content: string | null, extra: { usage?: Usage } = {}): ChatResponse {
  return {
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    ...(extra.usage ? { usage: extra.usage } : {}),
  };
}

/** Events without their timings, which are checked on their own. */
function untimed(events: readonly TranscriptEvent[]) {
  return events.map((event) => {
    const { at_ms: _at, ...rest } = event;
    return 'duration_ms' in rest ? { ...rest, duration_ms: 'timed' } : rest;
  });
}

describe('agent loop, event by event', () => {
  it('records every event of a two-turn query, sums the usage and answers tool results in call order', async () => {
    const { router, calls } = fakeRouter({
      get_ticket: () =>
        new Promise((resolve) =>
          setTimeout(() => resolve({ server: 'get_ticket-server', tool: 'get_ticket', content: '{"id":"TKT-1"}', durationMs: 4 }), 20),
        ),
      search_tickets: () => failing('search_tickets'),
    });
    const { model, requests } = replies(
      toolTurn(
        [
          ['a', 'get_ticket', '{"ticket_id":"TKT-1"}'],
          ['b', 'search_tickets', '{}'],
        ],
        { usage: usage(3, 5), content: 'Looking.' },
      ),
      answerTurn('TKT-1 is open.', { usage: usage(7, 11) }),
    );
    const seen: TranscriptEvent[] = [];
    const started = Date.now();
    const { transcript, messages } = await runQuery({
      model,
      tools: router,
      query: 'Status of TKT-1?',
      systemPrompt: 'Be exact.',
      onEvent: (e) => seen.push(e),
    });

    expect(untimed(transcript.events)).toEqual([
      { type: 'user', content: 'Status of TKT-1?' },
      { type: 'model_request', iteration: 1, messages: 2, tools: 2 },
      {
        type: 'model_response',
        iteration: 1,
        duration_ms: 'timed',
        content: 'Looking.',
        finish_reason: 'tool_calls',
        usage: usage(3, 5),
        tool_calls: [
          { id: 'a', name: 'get_ticket', arguments: '{"ticket_id":"TKT-1"}' },
          { id: 'b', name: 'search_tickets', arguments: '{}' },
        ],
      },
      {
        type: 'tool_call',
        iteration: 1,
        id: 'a',
        name: 'get_ticket',
        server: 'get_ticket-server',
        arguments: { ticket_id: 'TKT-1' },
        raw_arguments: '{"ticket_id":"TKT-1"}',
      },
      {
        type: 'tool_call',
        iteration: 1,
        id: 'b',
        name: 'search_tickets',
        server: 'search_tickets-server',
        arguments: {},
        raw_arguments: '{}',
      },
      {
        type: 'tool_result',
        iteration: 1,
        id: 'a',
        name: 'get_ticket',
        server: 'get_ticket-server',
        duration_ms: 'timed',
        is_error: false,
        content: '{"id":"TKT-1"}',
      },
      {
        type: 'tool_result',
        iteration: 1,
        id: 'b',
        name: 'search_tickets',
        server: 'search_tickets-server',
        duration_ms: 'timed',
        is_error: true,
        content: JSON.stringify((await failing('x')).envelope),
        envelope: (await failing('x')).envelope,
      },
      { type: 'model_request', iteration: 2, messages: 5, tools: 2 },
      {
        type: 'model_response',
        iteration: 2,
        duration_ms: 'timed',
        content: 'TKT-1 is open.',
        tool_calls: [],
        finish_reason: 'stop',
        usage: usage(7, 11),
      },
      { type: 'final_answer', content: 'TKT-1 is open.' },
    ]);
    expect(seen).toEqual(transcript.events);
    expect(transcript.events.filter((e) => e.type === 'tool_result').map((e) => e.duration_ms)).toEqual([4, 2]);
    expect(calls.map((c) => [c.name, c.args])).toEqual([
      ['get_ticket', { ticket_id: 'TKT-1' }],
      ['search_tickets', {}],
    ]);
    expect(transcript).toMatchObject({
      version: 1,
      query: 'Status of TKT-1?',
      model: 'fake-model',
      stop_reason: 'final_answer',
      iterations: 2,
      max_iterations: 10,
      answer: 'TKT-1 is open.',
      usage: { prompt_tokens: 10, completion_tokens: 16, total_tokens: 26 },
    });
    expect(Date.parse(transcript.started_at)).toBeGreaterThanOrEqual(started - 1);
    expect(Date.parse(transcript.started_at)).toBeLessThanOrEqual(Date.now());

    const turn2 = requests[1]?.request;
    expect(turn2?.messages).toEqual([
      { role: 'system', content: 'Be exact.' },
      { role: 'user', content: 'Status of TKT-1?' },
      {
        role: 'assistant',
        content: 'Looking.',
        tool_calls: [
          { id: 'a', type: 'function', function: { name: 'get_ticket', arguments: '{"ticket_id":"TKT-1"}' } },
          { id: 'b', type: 'function', function: { name: 'search_tickets', arguments: '{}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'a', content: '{"id":"TKT-1"}' },
      { role: 'tool', tool_call_id: 'b', content: JSON.stringify((await failing('x')).envelope) },
    ]);
    expect(requests.map((r) => r.messages)).toEqual([2, 5]);
    expect(turn2).toMatchObject({ model: 'fake-model', tool_choice: 'auto' });
    expect(turn2?.tools?.map((t) => t.function.name)).toEqual(['get_ticket', 'search_tickets']);
    expect(messages).toEqual([...(turn2?.messages ?? []), { role: 'assistant', content: 'TKT-1 is open.' }]);
  });

  it('times every event from the start of the query, never negative and never past its end', async () => {
    const { router } = fakeRouter({
      get_ticket: () =>
        new Promise((resolve) => setTimeout(() => resolve({ server: 's', tool: 'get_ticket', content: '{}', durationMs: 30 }), 30)),
    });
    const slowModel: ModelClient = {
      model: 'slow',
      complete: async (request) => {
        await new Promise((r) => setTimeout(r, 25));
        return request.messages.length === 2 ? toolTurn([['a', 'get_ticket', '{}']]) : answerTurn('done');
      },
    };
    const { transcript } = await runQuery({ model: slowModel, tools: router, query: 'q', systemPrompt: 's' });
    const stamps = transcript.events.map((e) => e.at_ms);
    expect(stamps).toEqual([...stamps].sort((a, b) => a - b));
    expect(stamps[0]).toBeGreaterThanOrEqual(0);
    expect(stamps.at(-1)).toBeGreaterThanOrEqual(50);
    expect(stamps.at(-1)).toBeLessThanOrEqual(transcript.duration_ms);
    for (const stamp of stamps) expect(Math.round(stamp * 1000) / 1000).toBe(stamp);
    const modelTimes = transcript.events.flatMap((e) => (e.type === 'model_response' ? [e.duration_ms] : []));
    expect(modelTimes).toHaveLength(2);
    for (const ms of modelTimes) {
      expect(ms).toBeGreaterThanOrEqual(20);
      expect(ms).toBeLessThan(transcript.duration_ms);
    }
    expect(transcript.duration_ms).toBeLessThan(5_000);
  });

  it('answers with an empty string when the final reply has no content, and an empty tool_calls list is a final answer', async () => {
    const { model } = replies({ choices: [{ message: { role: 'assistant', content: null, tool_calls: [] } }] });
    const { transcript, messages } = await runQuery({ model, tools: noTools, query: 'q', systemPrompt: 's' });
    expect(transcript.answer).toBe('');
    expect(transcript.stop_reason).toBe('final_answer');
    expect(transcript.events.at(-2)).toMatchObject({
      type: 'model_response',
      content: null,
      finish_reason: null,
      usage: null,
      tool_calls: [],
    });
    expect(messages.at(-1)).toEqual({ role: 'assistant', content: '' });
  });

  it('answers malformed arguments with an envelope without calling the tool, and goes on', async () => {
    const { router, calls } = fakeRouter({ get_ticket: (args) => ok('get_ticket', JSON.stringify(args)) });
    const { model, requests } = replies(
      toolTurn([
        ['a', 'get_ticket', '[1]'],
        ['b', 'get_ticket', '{"ticket_id":"TKT-2"}'],
      ]),
      answerTurn('ok'),
    );
    const { transcript } = await runQuery({ model, tools: router, query: 'q', systemPrompt: 's' });
    expect(calls.map((c) => c.args)).toEqual([{ ticket_id: 'TKT-2' }]);
    const [bad, good] = transcript.events.filter((e) => e.type === 'tool_result');
    expect(bad).toMatchObject({
      id: 'a',
      server: 'get_ticket-server',
      is_error: true,
      duration_ms: 0,
      envelope: { error: 'Malformed arguments for get_ticket', reason: 'The arguments must be one JSON object; got an array.' },
    });
    expect(good).toMatchObject({ id: 'b', is_error: false, content: '{"ticket_id":"TKT-2"}' });
    expect(good).not.toHaveProperty('envelope');
    expect(transcript.events.find((e) => e.type === 'tool_call' && e.id === 'a')).toMatchObject({ arguments: null, raw_arguments: '[1]' });
    expect(requests[1]?.request.messages.at(-2)).toEqual({
      role: 'tool',
      tool_call_id: 'a',
      content: JSON.stringify(bad?.type === 'tool_result' ? bad.envelope : null),
    });
  });

  it('names the kind of what the arguments were when they are JSON but not an object', () => {
    const reasons = ['null', '"KB-001"', '42', 'true', '  '].map((raw) => {
      const parsed = parseArguments(call(raw));
      return parsed.ok ? parsed.args : parsed.envelope.reason;
    });
    expect(reasons).toEqual([
      'The arguments must be one JSON object; got null.',
      'The arguments must be one JSON object; got a string.',
      'The arguments must be one JSON object; got a number.',
      'The arguments must be one JSON object; got a boolean.',
      {},
    ]);
  });

  it('stops at the cap it is given, with every turn answered and the conversation kept', async () => {
    const { router, calls } = fakeRouter({ get_ticket: () => ok('get_ticket', '{}') });
    const { model, requests } = replies(toolTurn([['a', 'get_ticket', '{}']]), toolTurn([['b', 'get_ticket', '{}']]), answerTurn('never'));
    const { transcript, messages } = await runQuery({ model, tools: router, query: 'q', systemPrompt: 's', maxIterations: 2 });
    expect(transcript).toMatchObject({ stop_reason: 'max_iterations', iterations: 2, max_iterations: 2, answer: null });
    expect(requests).toHaveLength(2);
    expect(calls).toHaveLength(2);
    expect(messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'assistant', 'tool']);
  });

  it('continues a conversation from its history without a second system message, and starts a fresh one on an empty history', async () => {
    const history = [
      { role: 'system' as const, content: 'Old prompt.' },
      { role: 'user' as const, content: 'Hi' },
      { role: 'assistant' as const, content: 'Hello.' },
    ];
    const first = replies(answerTurn('Again.'));
    const { messages } = await runQuery({ model: first.model, tools: noTools, query: 'And now?', systemPrompt: 'New prompt.', history });
    expect(first.requests[0]?.request.messages).toEqual([...history, { role: 'user', content: 'And now?' }]);
    expect(messages).toEqual([...history, { role: 'user', content: 'And now?' }, { role: 'assistant', content: 'Again.' }]);
    expect(history).toHaveLength(3);

    const fresh = replies(answerTurn('Hi.'));
    await runQuery({ model: fresh.model, tools: noTools, query: 'Hello', systemPrompt: 'New prompt.', history: [] });
    expect(fresh.requests[0]?.request.messages).toEqual([
      { role: 'system', content: 'New prompt.' },
      { role: 'user', content: 'Hello' },
    ]);
  });

  it('ends with model_error, saying what the model API did, and hands back the history unchanged', async () => {
    const history = [{ role: 'system' as const, content: 'S' }];
    const cases: [ChatResponse | Error, { kind: string; status: number | null; message: string }][] = [
      [
        { choices: [] } as unknown as ChatResponse,
        { kind: 'malformed_reply', status: null, message: 'The model API sent a reply without choices.' },
      ],
      [new ModelError('rate_limit', 'Slow down.', 429), { kind: 'rate_limit', status: 429, message: 'Slow down.' }],
      [new TypeError('fetch failed'), { kind: 'connection', status: null, message: 'TypeError: fetch failed' }],
    ];
    for (const [reply, expected] of cases) {
      const { model } = replies(reply);
      const { transcript, messages } = await runQuery({ model, tools: noTools, query: 'q', systemPrompt: 's', history });
      expect(transcript.stop_reason).toBe('model_error');
      expect(transcript.events.at(-1)).toMatchObject({ type: 'model_error', iteration: 1, ...expected });
      expect(transcript.usage).toEqual({ prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 });
      expect(messages).toEqual(history);
    }
  });

  it('keeps the usage of the turns before a model failure', async () => {
    const { router } = fakeRouter({ get_ticket: () => ok('get_ticket', '{}') });
    const { model } = replies(toolTurn([['a', 'get_ticket', '{}']], { usage: usage(5, 2) }), new ModelError('server', 'Bad gateway', 502));
    const { transcript, messages } = await runQuery({ model, tools: router, query: 'q', systemPrompt: 's' });
    expect(transcript).toMatchObject({ stop_reason: 'model_error', iterations: 2, usage: usage(5, 2) });
    expect(messages).toEqual([{ role: 'system', content: 's' }]);
  });

  it('asks nothing when the signal is already aborted, and passes the signal to the model and to every tool call', async () => {
    const aborted = AbortSignal.abort();
    const { model, requests } = replies(answerTurn('never'));
    const first = await runQuery({ model, tools: noTools, query: 'q', systemPrompt: 's', signal: aborted });
    expect(first.transcript).toMatchObject({ stop_reason: 'aborted', iterations: 0, answer: null });
    expect(first.transcript.events.map((e) => e.type)).toEqual(['user']);
    expect(requests).toHaveLength(0);

    const controller = new AbortController();
    const { router, calls } = fakeRouter({ get_ticket: () => ok('get_ticket', '{}') });
    const live = replies(toolTurn([['a', 'get_ticket', '{}']]), answerTurn('done'));
    await runQuery({ model: live.model, tools: router, query: 'q', systemPrompt: 's', signal: controller.signal });
    expect(live.requests.map((r) => r.signal)).toEqual([controller.signal, controller.signal]);
    expect(calls.map((c) => c.signal)).toEqual([controller.signal]);
  });

  it('ends with aborted when a tool call is cancelled, and with the history unchanged', async () => {
    const controller = new AbortController();
    const { router } = fakeRouter({
      get_ticket: (_args, signal) =>
        new Promise((_resolve, reject) => {
          signal?.addEventListener('abort', () => reject(new Error('cancelled')));
          setTimeout(() => controller.abort(), 5);
        }),
    });
    const { model, requests } = replies(toolTurn([['a', 'get_ticket', '{}']]), answerTurn('never'));
    const { transcript, messages } = await runQuery({
      model,
      tools: router,
      query: 'q',
      systemPrompt: 's',
      signal: controller.signal,
      history: [{ role: 'system', content: 'S' }],
    });
    expect(transcript.stop_reason).toBe('aborted');
    expect(transcript.events.map((e) => e.type)).toEqual(['user', 'model_request', 'model_response', 'tool_call']);
    expect(requests).toHaveLength(1);
    expect(messages).toEqual([{ role: 'system', content: 'S' }]);
  });

  it('reads a model error of kind aborted as a cancellation even without a signal', async () => {
    const { model } = replies(new ModelError('aborted', 'The request was cancelled.'));
    const { transcript } = await runQuery({ model, tools: noTools, query: 'q', systemPrompt: 's' });
    expect(transcript.stop_reason).toBe('aborted');
    expect(transcript.events.map((e) => e.type)).toEqual(['user', 'model_request']);
  });

  it('lets a tool router failure that is not a cancellation escape, since the router promises never to throw', async () => {
    const { router } = fakeRouter({ get_ticket: () => Promise.reject(new Error('router bug')) });
    const { model } = replies(toolTurn([['a', 'get_ticket', '{}']]));
    await expect(runQuery({ model, tools: router, query: 'q', systemPrompt: 's', signal: new AbortController().signal })).rejects.toThrow(
      'router bug',
    );
  });
});
