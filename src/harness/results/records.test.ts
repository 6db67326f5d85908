import { describe, expect, it } from 'vitest';
import type { Transcript } from '../../orchestrator/transcript.ts';
import { infraError } from './records.ts';
import type { ScenarioResult } from './scenario-result.ts';
import { parseScenario } from '../scenario/scenario.ts';

const outage: Transcript = {
  version: 1,
  query: 'q',
  model: 'm',
  started_at: '',
  duration_ms: 5,
  stop_reason: 'model_error',
  iterations: 1,
  max_iterations: 10,
  answer: null,
  usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
  events: [{ type: 'model_error', at_ms: 1, iteration: 1, kind: 'server', status: 503, message: 'The model API failed with HTTP 503.' }],
};

const result = {
  pass: false,
  error: undefined,
  replay: [],
  failures: [],
  checks: [],
  run: { mode: 'live', transcripts: [outage], calls: [], requests: [], startupMs: 0, discoveryMs: 0 },
} as unknown as ScenarioResult;
const expecting = (stop_reason: unknown) => parseScenario({ id: 's', description: 'd', turns: ['q'], expect: { stop_reason } });

describe('infrastructure errors', () => {
  it('counts a model API outage as infrastructure unless the scenario expects a model error, alone or in a list', () => {
    expect(infraError(result, expecting('final_answer'))).toBe('model API: The model API failed with HTTP 503.');
    expect(infraError(result, expecting('any'))).toBe('model API: The model API failed with HTTP 503.');
    expect(infraError(result, expecting('model_error'))).toBeNull();
    expect(infraError(result, expecting(['final_answer', 'model_error']))).toBeNull();
  });
});
