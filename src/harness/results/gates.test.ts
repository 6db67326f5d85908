import { describe, expect, it } from 'vitest';
import { sampleScenario, sampleTrial } from '../../../test/support/run-records.ts';
import { evaluateGates, runPassed } from './gates.ts';
import { runRecord, type RunRecord } from './records.ts';

const RUN = {
  runId: 'r',
  startedAt: '2025-10-05T12:00:00.000Z',
  durationMs: 10,
  mode: 'replay' as const,
  authored: false,
  model: null,
  trials: 1,
  k: 1,
  shard: null,
};

/** A one-trial run of five scenarios: `failing` of them fail their check. */
function suite(failing: number): RunRecord {
  const scenarios = ['a', 'b', 'c', 'd', 'e'].map((id, i) =>
    sampleScenario(
      id,
      [
        sampleTrial(
          1,
          [],
          i < 5 - failing
            ? {}
            : {
                pass: false,
                reason: '[answer] expected to contain "help"',
                failures: [{ name: 'answer', pass: false, reason: 'expected to contain "help"' }],
              },
        ),
      ],
      1,
    ),
  );
  return runRecord(RUN, scenarios);
}

describe('evaluateGates', () => {
  it('fails the run on any scenario below its own gate when no minimum pass rate is given', () => {
    const gates = evaluateGates(suite(2), { maxFlaky: 0 });
    expect(gates).toEqual([
      { name: 'scenarios', pass: false, reason: '2 scenario(s) below their gate: d, e' },
      { name: 'max_flaky', pass: true, reason: '0 flaky scenario(s) (maximum 0)' },
    ]);
  });

  it('lets a minimum pass rate alone decide: the scenarios gate is reported for information and fails nothing', () => {
    const gates = evaluateGates(suite(2), { minPassRate: 0.6 });
    expect(gates).toEqual([
      {
        name: 'scenarios',
        pass: true,
        informational: true,
        reason: '2 scenario(s) below their gate: d, e (informational: --min-pass-rate decides)',
      },
      { name: 'min_pass_rate', pass: true, reason: 'pass rate 60.0% (minimum 60.0%)' },
    ]);
    expect(evaluateGates(suite(2), { minPassRate: 0.8 }).find((g) => g.name === 'min_pass_rate')).toEqual({
      name: 'min_pass_rate',
      pass: false,
      reason: 'pass rate 60.0% (minimum 80.0%)',
    });
  });

  it('keeps --max-flaky deciding beside a minimum pass rate', () => {
    const flaky = runRecord({ ...RUN, trials: 2 }, [
      sampleScenario('coin', [sampleTrial(1, []), sampleTrial(2, [], { pass: false, reason: 'x' })], 1),
    ]);
    const gates = evaluateGates(flaky, { minPassRate: 0.5, maxFlaky: 0 });
    expect(gates.map((g) => [g.name, g.pass])).toEqual([
      ['scenarios', true],
      ['min_pass_rate', true],
      ['max_flaky', false],
    ]);
  });
});

describe('runPassed', () => {
  it('follows the gates when they were evaluated, and every scenario otherwise', () => {
    const lenient = suite(2);
    lenient.gates = evaluateGates(lenient, { minPassRate: 0.6 });
    expect(runPassed(lenient)).toBe(true);
    const strict = suite(2);
    strict.gates = evaluateGates(strict, {});
    expect(runPassed(strict)).toBe(false);
    expect(runPassed(suite(1))).toBe(false);
    expect(runPassed(suite(0))).toBe(true);
  });
});
