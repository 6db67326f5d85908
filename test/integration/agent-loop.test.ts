import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATASET_NOW, fixedClock, formatDay } from '../../src/shared/clock.ts';
import { ErrorEnvelopeSchema } from '../../src/shared/envelope.ts';
import { runQuery } from '../../src/orchestrator/agent-loop.ts';
import type { ToolRouter } from '../../src/orchestrator/tool-router.ts';
import { builtinServers } from '../../src/orchestrator/builtin-servers.ts';
import type { ChatMessage, ChatRequest, ChatResponse, ModelClient } from '../../src/orchestrator/model-client.ts';
import { ModelError } from '../../src/orchestrator/errors.ts';
import { systemPrompt } from '../../src/orchestrator/prompt.ts';
import { ScriptedModel, type ScriptedTurn } from '../../src/orchestrator/scripted-model.ts';
import { ServerPool } from '../../src/orchestrator/server-pool.ts';

const QUESTION = 'What are the critical tickets for customer CUST-001?';
const PROMPT = systemPrompt(formatDay(fixedClock(DATASET_NOW).now()));
const SEARCH_CRITICAL: ScriptedTurn = {
  toolCalls: [{ name: 'search_tickets', arguments: { customer_id: 'CUST-001', priority: 'critical' } }],
};
const ANSWER = 'CUST-001 has two critical tickets: TKT-1001 and TKT-1004.';

let pool: ServerPool;

beforeAll(async () => {
  pool = await ServerPool.open(builtinServers(process.execPath), { baseEnv: { HELPDESK_NOW: DATASET_NOW } });
});
afterAll(async () => {
  const pids = pool.pids();
  await pool.close();
  for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
});

/** The pool, recording each call's span and delaying the tools named in `delays`. */
function recordingRouter(delays: Record<string, number> = {}) {
  const calls: { name: string; args: Record<string, unknown>; start: number; end: number }[] = [];
  const router: ToolRouter = {
    openAITools: () => pool.openAITools(),
    serverOf: (name) => pool.serverOf(name),
    async callTool(name, args, signal) {
      const start = performance.now();
      await new Promise((r) => setTimeout(r, delays[name] ?? 0));
      const outcome = await pool.callTool(name, args, signal);
      calls.push({ name, args, start, end: performance.now() });
      return outcome;
    },
  };
  return { router, calls };
}

/** The tool messages at the end of a request, in order. */
function toolMessages(request: ChatRequest | undefined): { tool_call_id: string; content: string }[] {
  return (request?.messages ?? []).flatMap((m) => (m.role === 'tool' ? [{ tool_call_id: m.tool_call_id, content: m.content }] : []));
}

/** A model whose every call waits until the request is aborted; `called` resolves at the first call. */
function hangingModel() {
  let started!: () => void;
  const called = new Promise<void>((resolve) => {
    started = resolve;
  });
  const model: ModelClient = {
    model: 'hanging-model',
    complete(_request, options = {}): Promise<ChatResponse> {
      started();
      return new Promise((_resolve, reject) => {
        options.signal?.addEventListener('abort', () => reject(new ModelError('aborted', 'The model request was cancelled.')), {
          once: true,
        });
      });
    },
  };
  return { model, called };
}

describe('agent loop with scripted model and the real servers', () => {
  it('answers the worked example with the tickets search_tickets returned', async () => {
    const model = new ScriptedModel([SEARCH_CRITICAL, { answer: ANSWER }]);
    const { transcript, messages } = await runQuery({ model, tools: pool, query: QUESTION, systemPrompt: PROMPT });

    model.assertComplete();
    expect(transcript).toMatchObject({ stop_reason: 'final_answer', iterations: 2, answer: ANSWER, query: QUESTION });
    expect(transcript.events.map((e) => e.type)).toEqual([
      'user',
      'model_request',
      'model_response',
      'tool_call',
      'tool_result',
      'model_request',
      'model_response',
      'final_answer',
    ]);
    expect(transcript.events.find((e) => e.type === 'tool_call')).toMatchObject({
      name: 'search_tickets',
      server: 'tickets',
      arguments: { customer_id: 'CUST-001', priority: 'critical' },
    });
    const [result] = toolMessages(model.requests[1]);
    expect(JSON.parse(result?.content ?? '{}').tickets.map((t: { ticket_id: string }) => t.ticket_id)).toEqual(['TKT-1001', 'TKT-1004']);
    expect(model.requests[0]?.tools).toHaveLength(20);
    expect(messages.at(-1)).toEqual({ role: 'assistant', content: ANSWER });
  });

  it("states today's date in the system prompt it sends first", async () => {
    const model = new ScriptedModel([{ answer: 'Hello.' }]);
    await runQuery({ model, tools: pool, query: 'Hi', systemPrompt: PROMPT });

    const sent = model.requests[0]?.messages ?? [];
    expect(sent[0]).toEqual({ role: 'system', content: PROMPT });
    expect(sent[0]?.content).toContain('Today is 2025-10-05.');
    expect(sent.filter((m) => m.role === 'system')).toHaveLength(1);
  });

  it('runs parallel tool calls of one turn concurrently and answers them in call order', async () => {
    const { router, calls } = recordingRouter({ search_tickets: 300 });
    const model = new ScriptedModel([
      {
        toolCalls: [
          { name: 'search_tickets', arguments: { customer_id: 'CUST-001', priority: 'critical' } },
          { name: 'lookup_customer', arguments: { company_name: 'TechCorp' } },
          { name: 'check_warranty', arguments: { asset_id: 'AST-SRV-002' } },
        ],
      },
      { answer: 'Done.' },
    ]);
    const { transcript } = await runQuery({ model, tools: router, query: 'Tell me about TechCorp', systemPrompt: PROMPT });

    expect(transcript.stop_reason).toBe('final_answer');
    // The slow first call finished last, so an answer in completion order would differ.
    expect(calls.map((c) => c.name).sort()).toEqual(['check_warranty', 'lookup_customer', 'search_tickets']);
    expect(calls.at(-1)?.name).toBe('search_tickets');
    const search = calls.find((c) => c.name === 'search_tickets');
    expect(calls.every((c) => c.start < (search?.end ?? 0))).toBe(true);
    const answered = toolMessages(model.requests[1]);
    expect(answered.map((m) => m.tool_call_id)).toEqual(['call_0_0', 'call_0_1', 'call_0_2']);
    expect(answered[0]?.content).toContain('TKT-1004');
    expect(answered[1]?.content).toContain('CUST-001');
    expect(answered[2]?.content).toContain('"remaining_days":-45');
    expect(transcript.events.filter((e) => e.type === 'tool_result').map((e) => e.type === 'tool_result' && e.server)).toEqual([
      'tickets',
      'customers',
      'assets',
    ]);
  });

  it.each([
    {
      what: 'an unknown tool name',
      call: { name: 'search_ticket', arguments: { priority: 'critical' } },
      error: 'Tool search_ticket not found',
      reason: 'No connected server offers a tool named "search_ticket"',
      follow: 'search_tickets',
    },
    {
      what: 'arguments that are not valid JSON',
      call: { name: 'search_tickets', arguments: '{"customer_id": "CUST-001"' },
      error: 'Malformed arguments for search_tickets',
      reason: 'they are not valid JSON',
      follow: 'search_tickets',
    },
    {
      what: 'arguments that are a JSON array',
      call: { name: 'search_tickets', arguments: '["CUST-001"]' },
      error: 'Malformed arguments for search_tickets',
      reason: 'got an array',
      follow: 'search_tickets',
    },
  ])('sends $what back as an envelope and continues to the final answer', async ({ call, error, reason, follow }) => {
    const { router, calls } = recordingRouter();
    const model = new ScriptedModel([{ toolCalls: [call] }, SEARCH_CRITICAL, { answer: ANSWER }]);
    const { transcript } = await runQuery({ model, tools: router, query: QUESTION, systemPrompt: PROMPT });

    model.assertComplete();
    expect(transcript).toMatchObject({ stop_reason: 'final_answer', answer: ANSWER, iterations: 3 });
    const [sent] = toolMessages(model.requests[1]);
    const envelope = ErrorEnvelopeSchema.parse(JSON.parse(sent?.content ?? '{}'));
    expect(envelope.error).toBe(error);
    expect(envelope.reason).toContain(reason);
    expect(envelope.retryable).toBe(true);
    expect(envelope.follow_up_tools).toContain(follow);
    const failed = transcript.events.find((e) => e.type === 'tool_result');
    expect(failed).toMatchObject({ is_error: true, envelope });
    // Only the corrected call reached a server (an unknown tool is answered by the pool itself).
    expect(calls.filter((c) => c.name === 'search_tickets')).toHaveLength(1);
  });

  it('stops at the iteration cap of 10 without an 11th model request and keeps every event', async () => {
    const lookup: ScriptedTurn = { toolCalls: [{ name: 'get_ticket_details', arguments: { ticket_id: 'TKT-1001' } }] };
    const model = new ScriptedModel([...Array.from({ length: 10 }, () => lookup), { answer: 'never asked for' }]);
    const { transcript } = await runQuery({ model, tools: pool, query: 'Loop forever', systemPrompt: PROMPT });

    expect(transcript).toMatchObject({ stop_reason: 'max_iterations', iterations: 10, max_iterations: 10, answer: null });
    expect(model.requests).toHaveLength(10);
    expect(model.remaining).toBe(1);
    const count = (type: string) => transcript.events.filter((e) => e.type === type).length;
    expect([count('model_request'), count('model_response'), count('tool_call'), count('tool_result')]).toEqual([10, 10, 10, 10]);
    expect(transcript.events).toHaveLength(41);
    expect(count('final_answer')).toBe(0);
  });

  it('ends with model_error, the partial transcript and the history unchanged when turn 2 fails', async () => {
    const history: ChatMessage[] = [
      { role: 'system', content: PROMPT },
      { role: 'user', content: 'Who is CUST-001?' },
      { role: 'assistant', content: 'TechCorp Industries.' },
    ];
    const failure = new ModelError('rate_limit', 'The model API is rate-limiting this key (HTTP 429).', 429);
    const model = new ScriptedModel([SEARCH_CRITICAL, { error: failure }]);
    const { transcript, messages } = await runQuery({ model, tools: pool, query: QUESTION, systemPrompt: PROMPT, history });

    model.assertComplete();
    expect(transcript).toMatchObject({ stop_reason: 'model_error', iterations: 2, answer: null });
    expect(transcript.events.find((e) => e.type === 'tool_result')).toMatchObject({
      server: 'tickets',
      content: expect.stringContaining('TKT-1004'),
    });
    expect(transcript.events.at(-1)).toMatchObject({
      type: 'model_error',
      iteration: 2,
      kind: 'rate_limit',
      status: 429,
      message: failure.message,
    });
    expect(messages).toEqual(history);
  });

  it('ends with aborted when the signal fires during a model call', async () => {
    const { model, called } = hangingModel();
    const controller = new AbortController();
    const running = runQuery({ model, tools: pool, query: QUESTION, systemPrompt: PROMPT, signal: controller.signal });
    await called;
    controller.abort(new Error('cancelled by Ctrl+C'));
    const { transcript, messages } = await running;

    expect(transcript).toMatchObject({ stop_reason: 'aborted', iterations: 1, answer: null });
    expect(transcript.events.some((e) => e.type === 'model_error')).toBe(false);
    expect(messages).toEqual([{ role: 'system', content: PROMPT }]);
  });

  it('carries the conversation into the next question', async () => {
    const model = new ScriptedModel([SEARCH_CRITICAL, { answer: ANSWER }, { answer: 'Sarah Lee has TKT-1004.' }]);
    const first = await runQuery({ model, tools: pool, query: QUESTION, systemPrompt: PROMPT });
    const second = await runQuery({
      model,
      tools: pool,
      query: 'Which of them is Sarah Lee on?',
      systemPrompt: PROMPT,
      history: first.messages,
    });

    model.assertComplete();
    expect(second.transcript.answer).toBe('Sarah Lee has TKT-1004.');
    const sent = model.requests[2]?.messages ?? [];
    expect(sent.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'assistant', 'user']);
    expect(sent[1]).toEqual({ role: 'user', content: QUESTION });
    expect(sent[4]).toEqual({ role: 'assistant', content: ANSWER });
    expect(sent[5]).toEqual({ role: 'user', content: 'Which of them is Sarah Lee on?' });
    expect(second.messages.at(-1)).toEqual({ role: 'assistant', content: 'Sarah Lee has TKT-1004.' });
  });

  it('passes assertComplete when every scripted turn was used and says how many were not otherwise', async () => {
    const used = new ScriptedModel([SEARCH_CRITICAL, { answer: ANSWER }]);
    await runQuery({ model: used, tools: pool, query: QUESTION, systemPrompt: PROMPT });
    expect(() => used.assertComplete()).not.toThrow();

    const leftOver = new ScriptedModel([{ answer: ANSWER }, SEARCH_CRITICAL, { answer: 'unused' }]);
    await runQuery({ model: leftOver, tools: pool, query: QUESTION, systemPrompt: PROMPT });
    expect(() => leftOver.assertComplete()).toThrow('Scripted model: 2 of 3 turns were never requested.');
  });
});
