import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Transcript, TranscriptEvent } from '../../orchestrator/transcript.ts';
import type { ScenarioRun } from '../run/scenario-run.ts';
import { parseScenario, type LoadedScenario } from '../scenario/scenario.ts';
import { gradeRun } from './grade-run.ts';
import type { GradeResult } from './score.ts';

const dir = mkdtempSync(join(tmpdir(), 'grade-run-'));
const scenarioFile = join(dir, 'scenario.json');
// Tells what it was given, so the test sees the input gradeRun builds.
writeFileSync(
  join(dir, 'echo.mjs'),
  `
export default (run) => ({
  pass: run.answer !== '',
  message: JSON.stringify({
    scenarioId: run.scenarioId, turns: run.turns, answer: run.answer, results: [...run.results],
    transcripts: run.transcripts.length, calls: run.calls.map((c) => c.name), requests: run.requests.length, options: run.options,
  }),
});
export const fails = () => ({ pass: false, score: 0.25, message: 'not good enough' });
`,
);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function loaded(expect: Record<string, unknown>): LoadedScenario {
  return { scenario: parseScenario({ id: 'unit', description: 'unit', turns: ['first?', 'second?'], expect }), file: scenarioFile };
}

function toolResult(id: string, content: string): TranscriptEvent {
  return {
    type: 'tool_result',
    at_ms: 1,
    iteration: 1,
    id,
    name: 'get_ticket',
    server: 'tickets',
    duration_ms: 2,
    is_error: false,
    content,
  };
}

function transcript(answer: string | null, events: TranscriptEvent[] = []): Transcript {
  return {
    version: 1,
    query: 'q',
    model: 'm',
    started_at: '2025-10-05T12:00:00.000Z',
    duration_ms: 100,
    stop_reason: 'final_answer',
    iterations: 1,
    max_iterations: 10,
    answer,
    usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
    events,
  };
}

function run(fields: Partial<ScenarioRun> = {}): ScenarioRun {
  return {
    mode: 'replay',
    transcripts: [transcript('The ticket is open')],
    calls: [],
    requests: [],
    startupMs: 10,
    discoveryMs: 5,
    ...fields,
  };
}

const STOP_REASON_OK = { name: 'stop_reason', pass: true, reason: 'expected stop reason final_answer, got final_answer' };
/** The checks every scenario gets by default, for run() with its one transcript. */
const GROUNDED = { name: 'grounded', pass: true, reason: 'all 0 facts of the answer appear in what the tools returned or the user said' };
const LATENCY = [
  { name: 'latency:startup', pass: true, reason: 'start-up 10 ms (budget 3000 ms)' },
  { name: 'latency:discovery', pass: true, reason: 'discovery 5 ms (budget 1000 ms)' },
  { name: 'latency:query', pass: true, reason: 'query 100 ms without model time (budget 15000 ms)' },
];

/** What the echo grader was handed, read from its check's reason. */
function echoed(results: readonly GradeResult[]): Record<string, unknown> {
  const echo = results.find((r) => r.name === 'custom:echo');
  expect(echo, JSON.stringify(results)).toBeDefined();
  return JSON.parse(echo?.reason ?? '') as Record<string, unknown>;
}

describe('gradeRun', () => {
  it('gives the built-in checks alone when the scenario has no custom graders, or an empty list of them', async () => {
    const expected = [STOP_REASON_OK, { name: 'answer', pass: true, reason: 'contains "open"' }, GROUNDED, ...LATENCY];
    expect(await gradeRun(loaded({ answer: { contains: ['open'] } }), run())).toEqual(expected);
    expect(await gradeRun(loaded({ answer: { contains: ['open'] }, custom: [] }), run())).toEqual(expected);
  });

  it("appends the custom graders' checks after the built-in ones, in the order listed", async () => {
    const results = await gradeRun(
      loaded({
        custom: [
          { module: 'echo.mjs', export: 'fails', weight: 2 },
          { module: 'echo.mjs', name: 'echo' },
        ],
      }),
      run(),
    );
    expect(results.slice(0, -2)).toEqual([STOP_REASON_OK, GROUNDED, ...LATENCY]);
    expect(results.at(-2)).toEqual({ name: 'custom:echo#fails', pass: false, score: 0.25, weight: 2, reason: 'not good enough' });
    expect(results.at(-1)).toMatchObject({ name: 'custom:echo', pass: true });
  });

  it("hands a custom grader the run: every turn's tool results by call ID, the last turn's answer, the calls, requests and options", async () => {
    const transcripts = [
      transcript('first', [
        { type: 'user', at_ms: 0, content: 'first?' },
        {
          type: 'tool_call',
          at_ms: 1,
          iteration: 1,
          id: 'call_1',
          name: 'get_ticket',
          server: 'tickets',
          arguments: {},
          raw_arguments: '{}',
        },
        toolResult('call_1', '{"id":"TKT-1"}'),
        { type: 'final_answer', at_ms: 3, content: 'first' },
      ]),
      transcript('the last answer', [toolResult('call_2', 'second result'), toolResult('call_3', 'third')]),
    ];
    const calls = [
      {
        index: 0,
        turn: 0,
        iteration: 1,
        id: 'call_1',
        name: 'get_ticket',
        server: 'tickets',
        arguments: {},
        isError: false,
        envelope: undefined,
        durationMs: 2,
      },
    ];
    const requests = [{ model: 'm', messages: [], tools: [], tool_choice: 'auto' as const }];
    const results = await gradeRun(
      loaded({ custom: [{ module: 'echo.mjs', options: { strict: true } }] }),
      run({ transcripts, calls, requests }),
    );
    expect(echoed(results)).toEqual({
      scenarioId: 'unit',
      turns: ['first?', 'second?'],
      answer: 'the last answer',
      results: [
        ['call_1', '{"id":"TKT-1"}'],
        ['call_2', 'second result'],
        ['call_3', 'third'],
      ],
      transcripts: 2,
      calls: ['get_ticket'],
      requests: 1,
      options: { strict: true },
    });
  });

  it('hands an empty answer when the last turn has none, or no turn was run', async () => {
    const graders = loaded({ custom: [{ module: 'echo.mjs' }] });
    const noAnswer = await gradeRun(graders, run({ transcripts: [transcript('earlier'), transcript(null)] }));
    expect(noAnswer.at(-1)).toMatchObject({ name: 'custom:echo', pass: false });
    expect(echoed(noAnswer).answer).toBe('');
    const noTurn = await gradeRun(graders, run({ transcripts: [] }));
    expect(noTurn[0]).toEqual({ name: 'ended_normally', pass: false, reason: 'no turn was run' });
    expect(echoed(noTurn).answer).toBe('');
  });

  it('runs no custom grader when the run crashed: the crash is the one check', async () => {
    const results = await gradeRun(loaded({ custom: [{ module: 'echo.mjs' }] }), run({ crash: 'the orchestrator threw' }));
    expect(results).toEqual([{ name: 'ended_normally', pass: false, reason: 'the run crashed: the orchestrator threw' }]);
  });

  it('turns a check that throws into one failed "grading" check with its message, never a throw', async () => {
    // A run whose calls cannot be read makes the built-in checks throw.
    const broken = Object.defineProperty({ ...run() }, 'calls', {
      get: () => {
        throw new Error('a matcher broke');
      },
    });
    expect(await gradeRun(loaded({ custom: [{ module: 'echo.mjs' }] }), broken)).toEqual([
      { name: 'grading', pass: false, reason: 'grading failed: a matcher broke' },
    ]);
  });
});
