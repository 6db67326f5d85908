import { describe, expect, it } from 'vitest';
import type { Transcript } from '../../orchestrator/transcript.ts';
import type { ObservedCall } from '../run/scenario-run.ts';
import type { ScenarioResult } from '../results/scenario-result.ts';
import type { FaultReport } from '../faults/fault.ts';
import { cellInvariants, type CellTarget } from './invariants.ts';

const TARGET: CellTarget = { kind: 'crash', tool: 'search_tickets', server: 'tickets', budgetMs: 5_000 };

function call(name: string, server: string, error?: string): ObservedCall {
  return {
    index: 0,
    turn: 1,
    iteration: 1,
    id: `call_${name}`,
    name,
    server,
    arguments: {},
    isError: error !== undefined,
    durationMs: 5,
    envelope: error ? { error, reason: 'r', suggested_actions: [], retryable: true, follow_up_tools: [], context: {} } : undefined,
  };
}

const FAULTS: FaultReport = {
  active: [{ kind: 'crash', server: 'tickets', tool: 'search_tickets', call: 1 }],
  injections: [{ fault: 1, kind: 'crash', server: 'tickets', tool: 'search_tickets', call: 1 }],
  servers: [
    { name: 'tickets', state: 'ready', restarts: 1 },
    { name: 'customers', state: 'ready', restarts: 0 },
  ],
  leftover: [],
};

function transcript(stop: Transcript['stop_reason'], answer: string | null): Transcript {
  return {
    version: 1,
    query: 'q',
    model: 'm',
    started_at: '2025-10-05T00:00:00Z',
    duration_ms: 10,
    stop_reason: stop,
    iterations: 2,
    max_iterations: 10,
    answer,
    usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
    events: [],
  };
}

function result(
  extra: Partial<ScenarioResult> = {},
  calls = [
    call('search_tickets', 'tickets', 'Server tickets stopped during the call to search_tickets'),
    call('lookup_customer', 'customers'),
  ],
): ScenarioResult {
  return {
    id: 's',
    file: 's.json',
    mode: 'replay',
    pass: true,
    checks: [],
    failures: [],
    score: 1,
    replay: [],
    error: undefined,
    durationMs: 1_200,
    run: { mode: 'replay', transcripts: [transcript('final_answer', 'An answer.')], calls, requests: [], startupMs: 0, discoveryMs: 0 },
    faults: FAULTS,
    ...extra,
  };
}

const verdicts = (r: ScenarioResult, target = TARGET) =>
  cellInvariants(r, target).map((c) => `${c.pass ? '✓' : '✗'} ${c.name}: ${c.reason}`);

describe('the resilience invariants of a fault-matrix cell', () => {
  it('passes a run that ended in budget, gave the model the envelope, kept the other servers and left no process', () => {
    expect(verdicts(result())).toEqual([
      '✓ resilience:ended: ended with final_answer after 1.2 s (budget 5.0 s)',
      '✓ resilience:envelope: the model got "Server tickets stopped during the call to search_tickets" (retryable)',
      '✓ resilience:others: 1 call(s) to customers answered; all servers up',
      '✓ resilience:processes: no process left behind',
    ]);
  });

  it('fails a run over its budget, a run that threw, and an empty final answer', () => {
    expect(verdicts(result({ durationMs: 7_300 }))[0]).toBe(
      '✗ resilience:ended: ended with final_answer after 7.3 s (budget 5.0 s): over budget',
    );
    const threw = result();
    expect(verdicts({ ...threw, run: { ...threw.run!, crash: 'TypeError: boom' } })[0]).toBe(
      '✗ resilience:ended: the fault escaped as an exception: TypeError: boom',
    );
    expect(verdicts({ ...threw, run: { ...threw.run!, transcripts: [transcript('final_answer', ' ')] } })[0]).toBe(
      '✗ resilience:ended: ended with an empty answer',
    );
    expect(verdicts(result({ error: 'servers did not start: x' }))[0]).toBe(
      '✗ resilience:ended: the run did not complete: servers did not start: x',
    );
    expect(verdicts({ ...threw, run: { ...threw.run!, transcripts: [transcript('max_iterations', null)] } })[0]).toMatch(
      /^✓ resilience:ended: ended with max_iterations/,
    );
  });

  it('fails when another server gave an infrastructure envelope or is down, naming them', () => {
    const calls = [
      call('search_tickets', 'tickets', 'Server tickets stopped during the call to search_tickets'),
      call('lookup_customer', 'customers', 'Tool lookup_customer timed out'),
    ];
    expect(verdicts(result({}, calls))[2]).toBe('✗ resilience:others: lookup_customer on customers got "Tool lookup_customer timed out"');
    const down = result({ faults: { ...FAULTS, servers: [{ name: 'customers', state: 'unavailable', restarts: 1 }] } });
    expect(verdicts(down)[2]).toBe('✗ resilience:others: server customers is unavailable');
    const notFound = [
      call('search_tickets', 'tickets', 'Server tickets stopped during the call to search_tickets'),
      call('lookup_customer', 'customers', 'Customer CUST-999 not found'),
    ];
    expect(verdicts(result({}, notFound))[2]).toMatch(/^✓ resilience:others/);
  });

  it('fails when the fault never hit, when the model got a plain result, and when a slow answer became an envelope', () => {
    expect(verdicts(result({ faults: { ...FAULTS, injections: [] } }))[1]).toBe(
      '✗ resilience:envelope: the fault never hit a call of search_tickets',
    );
    expect(verdicts(result({}, [call('search_tickets', 'tickets')]))[1]).toBe(
      "✗ resilience:envelope: the model got search_tickets's result as if nothing failed",
    );
    const slow = { ...TARGET, kind: 'slow' as const };
    expect(verdicts(result({}, [call('search_tickets', 'tickets', 'Tool search_tickets timed out')]), slow)[1]).toBe(
      '✗ resilience:envelope: the slow answer became "Tool search_tickets timed out" although it came within the timeout',
    );
    expect(verdicts(result({}, [call('search_tickets', 'tickets')]), slow)[1]).toBe(
      '✓ resilience:envelope: the late answer of search_tickets reached the model after 5 ms',
    );
  });

  it('fails when a process outlived the pool, or the run never closed its faulted servers', () => {
    expect(verdicts(result({ faults: { ...FAULTS, leftover: [4242] } }))[3]).toBe('✗ resilience:processes: process(es) 4242 still running');
    expect(verdicts(result({ faults: undefined }))[3]).toBe('✗ resilience:processes: the faulted servers were not closed by the run');
  });
});
