import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type RunOptions } from '../../src/harness/run/execute.ts';
import { runScenario } from '../../src/harness/suite/run-scenario.ts';
import { type ScenarioResult } from '../../src/harness/results/scenario-result.ts';
import { loadScenarioFile, readScenarioFile, type LoadedScenario } from '../../src/harness/scenario/scenario.ts';
import { useReplayBench } from '../support/replay-bench.ts';

// Scenarios that inject faults, authored from their scripts into a temporary folder and replayed.

const bench = useReplayBench('fault-scenarios');

const ONLY_TICKETS = {
  customers: { command: 'node', disabled: true },
  billing: { command: 'node', disabled: true },
  kb: { command: 'node', disabled: true },
  assets: { command: 'node', disabled: true },
};

const TOOL_ERROR = {
  turns: ['What is the status of TKT-1001?'],
  servers: ONLY_TICKETS,
  faults: [{ kind: 'tool_error', tool: 'get_ticket_details', call: 1, message: 'ticket store is read-only' }],
  script: [
    { tool_calls: [{ name: 'get_ticket_details', arguments: { ticket_id: 'TKT-1001' } }] },
    { tool_calls: [{ name: 'get_ticket_details', arguments: { ticket_id: 'TKT-1001' } }] },
    { answer: 'TKT-1001 is open.' },
  ],
  expect: {
    errors: [
      {
        tool: 'get_ticket_details',
        envelope: { error: 'Tool get_ticket_details reported an error', retryable: true },
        then_called: 'get_ticket_details',
      },
    ],
    answer: { contains: ['TKT-1001'] },
  },
};

function write(id: string, body: object): LoadedScenario {
  const file = join(bench.dir, 'scenarios', `${id}.json`);
  writeFileSync(file, JSON.stringify({ id, description: `fault self-test: ${id}`, ...body }));
  return loadScenarioFile(file);
}

const options = (extra: Partial<RunOptions> = {}): RunOptions => bench.options(extra);

const why = (result: ScenarioResult) => JSON.stringify({ replay: result.replay, failures: result.failures, error: result.error });

describe('faults declared in a scenario', () => {
  it('records the active faults in the cassette, replays them, and fails closed with faults_changed when they change', async () => {
    const authored = await runScenario(write('tool-error', TOOL_ERROR), options({ mode: 'author' }));
    expect(authored.pass, why(authored)).toBe(true);
    const cassette = JSON.parse(readFileSync(join(bench.dir, 'recordings', 'tool-error.json'), 'utf8'));
    expect(cassette.faults).toEqual(TOOL_ERROR.faults);

    const replayed = await runScenario(write('tool-error', TOOL_ERROR), options());
    expect(replayed.pass, why(replayed)).toBe(true);
    const first = replayed.run?.calls[0];
    expect(first?.envelope).toMatchObject({ reason: 'ticket store is read-only', retryable: true });
    expect(replayed.checks.find((c) => c.name === 'faults:injected')?.reason).toBe(
      'injected tool_error on tickets.get_ticket_details (call 1)',
    );

    const changed = await runScenario(
      write('tool-error', { ...TOOL_ERROR, faults: [{ kind: 'protocol_error', tool: 'get_ticket_details', call: 1 }] }),
      options(),
    );
    expect(changed.pass).toBe(false);
    expect(changed.replay.map((f) => f.code)).toEqual(['faults_changed']);
    expect(changed.replay[0]?.reason).toContain(
      'the scenario injects protocol_error on tool get_ticket_details, call 1, but its cassette was recorded with tool_error on tool get_ticket_details, call 1',
    );

    const none = await runScenario(write('tool-error', { ...TOOL_ERROR, faults: undefined }), options());
    expect(none.replay[0]?.reason).toContain('the scenario injects no faults');
  });

  it('fails a scenario whose fault names a tool its servers do not offer, saying which tools they do', async () => {
    const result = await runScenario(
      write('bad-target', { ...TOOL_ERROR, faults: [{ kind: 'crash', server: 'tickets', tool: 'get_ticket' }] }),
      options({ mode: 'author' }),
    );
    expect(result.pass).toBe(false);
    expect(result.error).toContain(
      'fault 1 (crash on tickets.get_ticket) names tool "get_ticket", which server tickets offers (its tools: find_similar_tickets, get_ticket_details, get_ticket_metrics, search_tickets)',
    );
  });

  it('fails the faults:injected check when a fault aimed at a call never hits one', async () => {
    const result = await runScenario(
      write('never-hit', {
        ...TOOL_ERROR,
        faults: [{ kind: 'hang', tool: 'get_ticket_details', call: 3 }],
        expect: { answer: { contains: ['TKT-1001'] } },
      }),
      options({ mode: 'author' }),
    );
    expect(result.pass).toBe(false);
    expect(result.failures.map((f) => [f.name, f.reason])).toEqual([
      ['faults:injected', 'fault 1 (hang on tool get_ticket_details, call 3) never hit a call: the run made no matching call'],
    ]);
  });

  it('gives a crash-faulted run fresh servers and leaves none of its processes behind', async () => {
    const body = {
      ...TOOL_ERROR,
      faults: [{ kind: 'crash', server: 'tickets', call: 1 }],
      expect: {
        errors: [{ tool: 'get_ticket_details', envelope: { error: 'Server tickets stopped during the call to get_ticket_details' } }],
      },
    };
    const result = await runScenario(write('crash', body), options({ mode: 'author' }));
    expect(result.pass, why(result)).toBe(true);
    expect(result.faults?.servers).toEqual([{ name: 'tickets', state: 'ready', restarts: 1 }]);
    expect(result.faults?.leftover).toEqual([]);
    expect(result.checks.find((c) => c.name === 'faults:processes')).toMatchObject({ pass: true });
  });

  it('refuses a fault field that does not apply to its kind, naming the field', () => {
    const file = join(bench.dir, 'scenarios', 'bad-field.json');
    writeFileSync(
      file,
      JSON.stringify({
        id: 'bad-field',
        description: 'x',
        turns: ['x'],
        faults: [{ kind: 'slow', size_bytes: 5, call: 1, probability: 0.5 }],
        expect: {},
      }),
    );
    expect(() => readScenarioFile(file)).toThrow(
      /faults\.0\.probability: give call or probability, not both[\s\S]*faults\.0\.size_bytes: size_bytes only applies to oversized faults, not slow/,
    );
  });
});
