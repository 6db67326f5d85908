import { join } from 'node:path';
import type { ErrorEnvelope } from '../../src/shared/envelope.ts';
import type { Transcript, TranscriptEvent } from '../../src/orchestrator/transcript.ts';
import { costUsd } from '../../src/harness/results/prices.ts';
import { runRecord, scenarioRecord, type RunRecord, type ScenarioRecord, type TrialRecord } from '../../src/harness/results/records.ts';
import { parseScenario } from '../../src/harness/scenario/scenario.ts';

/** Where the sample scenarios pretend to live. */
export const SAMPLE_ROOT = '/repo';

/** One tool call of a sample transcript. */
export interface SampleCall {
  readonly name: string;
  readonly server: string;
  readonly args: Record<string, unknown>;
  readonly ms: number;
  readonly result?: string;
  readonly envelope?: ErrorEnvelope;
}

/** A transcript of one turn: one model call per tool call, then the answer. */
export function sampleTranscript(query: string, calls: readonly SampleCall[], answer: string, model = 'gpt-4o-mini'): Transcript {
  const events: TranscriptEvent[] = [{ type: 'user', at_ms: 0, content: query }];
  let at = 0;
  const usage = { prompt_tokens: 500, completion_tokens: 20, total_tokens: 520 };
  calls.forEach((call, i) => {
    const id = `call_${i + 1}`;
    events.push({ type: 'model_request', at_ms: at, iteration: i + 1, messages: 2 + i * 2, tools: 20 });
    at += 40;
    events.push({
      type: 'model_response',
      at_ms: at,
      iteration: i + 1,
      duration_ms: 40,
      content: null,
      tool_calls: [{ id, name: call.name, arguments: JSON.stringify(call.args) }],
      finish_reason: 'tool_calls',
      usage,
    });
    events.push({
      type: 'tool_call',
      at_ms: at,
      iteration: i + 1,
      id,
      name: call.name,
      server: call.server,
      arguments: call.args,
      raw_arguments: JSON.stringify(call.args),
    });
    at += call.ms;
    events.push({
      type: 'tool_result',
      at_ms: at,
      iteration: i + 1,
      id,
      name: call.name,
      server: call.server,
      duration_ms: call.ms,
      is_error: call.envelope !== undefined,
      content: call.envelope ? JSON.stringify(call.envelope) : (call.result ?? '{"ok":true}'),
      ...(call.envelope ? { envelope: call.envelope } : {}),
    });
  });
  events.push({ type: 'model_request', at_ms: at, iteration: calls.length + 1, messages: 2 + calls.length * 2, tools: 20 });
  at += 30;
  events.push({
    type: 'model_response',
    at_ms: at,
    iteration: calls.length + 1,
    duration_ms: 30,
    content: answer,
    tool_calls: [],
    finish_reason: 'stop',
    usage,
  });
  events.push({ type: 'final_answer', at_ms: at, content: answer });
  const n = calls.length + 1;
  return {
    version: 1,
    query,
    model,
    started_at: '2025-10-05T12:00:00.000Z',
    duration_ms: at,
    stop_reason: 'final_answer',
    iterations: n,
    max_iterations: 10,
    answer,
    usage: { prompt_tokens: 500 * n, completion_tokens: 20 * n, total_tokens: 520 * n },
    events,
  };
}

/** A trial from transcripts, graded as given. */
export function sampleTrial(
  trial: number,
  transcripts: readonly Transcript[],
  outcome: Partial<
    Pick<
      TrialRecord,
      'pass' | 'infra_error' | 'reason' | 'failures' | 'replay' | 'score' | 'judge' | 'checks' | 'rebase' | 'stale_responses'
    >
  > = {},
): TrialRecord {
  const usage = transcripts.reduce(
    (sum, t) => ({
      prompt_tokens: sum.prompt_tokens + t.usage.prompt_tokens,
      completion_tokens: sum.completion_tokens + t.usage.completion_tokens,
      total_tokens: sum.total_tokens + t.usage.total_tokens,
    }),
    { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
  );
  const calls = transcripts.flatMap((t) => t.events.flatMap((e) => (e.type === 'tool_result' ? [e] : [])));
  const end = transcripts.reduce((sum, t) => sum + t.duration_ms, 0);
  return {
    trial,
    pass: outcome.pass ?? true,
    infra_error: outcome.infra_error ?? null,
    reason: outcome.reason ?? null,
    failures: outcome.failures ?? [],
    checks: outcome.checks ?? outcome.failures ?? [],
    replay: outcome.replay ?? [],
    duration_ms: end + 5,
    latency: {
      end_to_end_ms: end,
      model_ms: transcripts.flatMap((t) => t.events.flatMap((e) => (e.type === 'model_response' ? [e.duration_ms] : []))),
      tools: calls.map((c) => ({ name: c.name, server: c.server, ms: c.duration_ms, is_error: c.is_error })),
      startup_ms: 300,
      discovery_ms: 20,
    },
    usage,
    cost_usd: transcripts[0] ? costUsd(transcripts[0].model, usage.prompt_tokens, usage.completion_tokens) : null,
    score: outcome.score ?? null,
    judge: outcome.judge ?? null,
    rebase: outcome.rebase ?? null,
    faults: null,
    stale_responses: outcome.stale_responses ?? [],
    trace_id: null,
    transcripts: [...transcripts],
  };
}

/** An infrastructure error trial: the servers never started. */
export function infraTrial(trial: number, error = 'servers did not start: Server "tickets" failed to start'): TrialRecord {
  return { ...sampleTrial(trial, []), pass: false, infra_error: error, reason: error };
}

/** A scenario record, summarised by the real results.ts code. */
export function sampleScenario(
  id: string,
  trials: readonly TrialRecord[],
  k: number,
  options: { description?: string; minPassK?: number; file?: string } = {},
): ScenarioRecord {
  const scenario = parseScenario({
    id,
    description: options.description ?? `The ${id} scenario.`,
    tags: ['sample'],
    turns: ['q'],
    expect: options.minPassK === undefined ? {} : { min_pass_k: options.minPassK },
  });
  return scenarioRecord({ scenario, file: options.file ?? join(SAMPLE_ROOT, 'scenarios', `${id}.json`) }, trials, k);
}

const ENVELOPE: ErrorEnvelope = {
  error: 'Ticket TKT-9999 not found',
  reason: 'No ticket in the dataset has this ID.',
  suggested_actions: ['Find the ticket with search_tickets.'],
  retryable: true,
  follow_up_tools: ['search_tickets'],
  context: { ticket_id: 'TKT-9999' },
};

const critical = () =>
  sampleTranscript(
    'What are the critical tickets for customer CUST-001?',
    [
      {
        name: 'search_tickets',
        server: 'tickets',
        args: { customer_id: 'CUST-001', priority: 'critical' },
        ms: 12,
        result: '{"tickets":["TKT-1001","TKT-1004"]}',
      },
    ],
    'TKT-1001 and TKT-1004.',
  );

const notFound = () =>
  sampleTranscript(
    'Status of TKT-9999?',
    [
      { name: 'get_ticket_details', server: 'tickets', args: { ticket_id: 'TKT-9999' }, ms: 3, envelope: ENVELOPE },
      { name: 'search_tickets', server: 'tickets', args: { query: 'BitLocker' }, ms: 8 },
    ],
    'There is no TKT-9999; TKT-1009 is the BitLocker ticket.',
  );

const MISMATCH = {
  code: 'request_mismatch',
  reason: 'request 1 differs from the recording',
  diff: 'messages[1].content:\n    recorded: "CUST-001"\n    now:      "CUST-002"',
};
const WRONG_ANSWER = { name: 'answer', pass: false, reason: 'expected to contain "TKT-1004", got "TKT-1001 only."' };

/**
 * A run of 4 trials (k = 2) with one scenario of each kind: passing, failing on a replay
 * request_mismatch, flaky (2 of 4), failing a check (tools), and infrastructure errors only.
 */
export function sampleRecord(): RunRecord {
  const k = 2;
  const four = (make: (n: number) => TrialRecord) => [1, 2, 3, 4].map(make);
  const scenarios = [
    sampleScenario(
      'critical-tickets',
      four((n) => sampleTrial(n, [critical()])),
      k,
    ),
    sampleScenario(
      'changed-question',
      four((n) => sampleTrial(n, [], { pass: false, reason: `[request_mismatch] ${MISMATCH.reason}`, replay: [MISMATCH] })),
      k,
    ),
    sampleScenario(
      'flaky-answer',
      four((n) =>
        n % 2 === 0
          ? sampleTrial(n, [critical()], { pass: false, reason: `[answer] ${WRONG_ANSWER.reason}`, failures: [WRONG_ANSWER] })
          : sampleTrial(n, [critical()]),
      ),
      k,
    ),
    sampleScenario(
      'ticket-not-found',
      four((n) => sampleTrial(n, [notFound()])),
      k,
    ),
    sampleScenario(
      'wrong-tool',
      four((n) =>
        sampleTrial(n, [notFound()], {
          pass: false,
          reason: '[tools] expected [search_tickets] (exact), got [get_ticket_details, search_tickets]',
          failures: [{ name: 'tools', pass: false, reason: 'expected [search_tickets] (exact), got [get_ticket_details, search_tickets]' }],
        }),
      ),
      k,
    ),
    sampleScenario(
      'servers-down',
      four((n) => infraTrial(n)),
      k,
    ),
  ];
  return runRecord(
    {
      runId: '20251005T120000Z-replay-abcd',
      startedAt: '2025-10-05T12:00:00.000Z',
      durationMs: 2500,
      mode: 'replay',
      authored: true,
      model: 'gpt-4o-mini',
      trials: 4,
      k,
      shard: null,
    },
    scenarios,
  );
}
