import { describe, expect, it } from 'vitest';
import { SAMPLE_ROOT, sampleRecord, sampleScenario, sampleTrial } from '../../../test/support/run-records.ts';
import { runRecord } from '../results/records.ts';
import { REPORT_TEXT_MAX_CHARS } from '../results/cap.ts';
import { annotations, escapeData, escapeProperty } from './github.ts';

const RUN = {
  runId: 'r',
  startedAt: '2025-10-05T12:00:00.000Z',
  durationMs: 10,
  mode: 'replay' as const,
  authored: false,
  model: 'gpt-4o-mini',
  trials: 1,
  k: 1,
  shard: null,
};

describe('GitHub annotations', () => {
  it('escapes %, CR and LF in a message', () => {
    expect(escapeData('100% done\r\nnext: a,b')).toBe('100%25 done%0D%0Anext: a,b');
  });

  it('escapes ":" and "," in a property as well', () => {
    expect(escapeProperty('a: b, 50%\n')).toBe('a%3A b%2C 50%25%0A');
  });

  it('prints one ::error per failed scenario, pointing at its file relative to the repository root', () => {
    expect(annotations(sampleRecord(), { root: SAMPLE_ROOT })).toEqual([
      '::error file=scenarios/changed-question.json,title=changed-question%3A request_mismatch::request 1 differs from the recording',
      '::error file=scenarios/flaky-answer.json,title=flaky-answer%3A flaky::2 of 4 trials passed, pass^2 = 0.17 (every trial must pass); first failure: [answer] expected to contain "TKT-1004", got "TKT-1001 only."',
      '::error file=scenarios/servers-down.json,title=servers-down%3A infra_error::every trial hit an infrastructure error: servers did not start: Server "tickets" failed to start',
      '::error file=scenarios/wrong-tool.json,title=wrong-tool%3A tools::expected [search_tickets] (exact), got [get_ticket_details, search_tickets]',
    ]);
  });

  it('keeps a hostile reason on one line, so it cannot start a workflow command of its own', () => {
    const reason = 'bad\n::add-mask::secret\r\n::set-env name=X::1 100%';
    const record = runRecord(RUN, [
      sampleScenario('hostile', [sampleTrial(1, [], { pass: false, reason, failures: [{ name: 'answer', pass: false, reason }] })], 1),
    ]);
    const lines = annotations(record);
    expect(lines).toEqual([
      `::error file=/repo/scenarios/hostile.json,title=hostile%3A answer::bad%0A::add-mask::secret%0D%0A::set-env name=X::1 100%25`,
    ]);
    expect(lines[0]).not.toMatch(/[\r\n]/);
  });

  it('cuts a 10 MB reason with a note of what was cut, so one annotation cannot flood the log', () => {
    const reason = `expected a refund, got ${'x'.repeat(10_000_000)}`;
    const record = runRecord(RUN, [
      sampleScenario('long', [sampleTrial(1, [], { pass: false, reason, failures: [{ name: 'custom:refund', pass: false, reason }] })], 1),
    ]);
    const [line] = annotations(record);
    expect(line?.length).toBeLessThan(REPORT_TEXT_MAX_CHARS + 200);
    expect(line).toMatch(/^::error file=\/repo\/scenarios\/long\.json,title=long%3A custom%3Arefund::expected a refund, got xxx/);
    expect(
      line?.endsWith(
        `… [${(reason.length - REPORT_TEXT_MAX_CHARS).toLocaleString('en-US')} more characters cut from this report; ${reason.length.toLocaleString('en-US')} in all]`,
      ),
    ).toBe(true);
  });

  it('adds an annotation for each failed gate and none for a run that passed', () => {
    const passing = runRecord(
      RUN,
      [sampleScenario('fine', [sampleTrial(1, [])], 1)],
      [
        { name: 'min_pass_rate', pass: true, reason: 'pass rate 100% ≥ 90%' },
        { name: 'max_flaky', pass: false, reason: '3 flaky scenarios, at most 1 allowed' },
      ],
    );
    expect(annotations(passing)).toEqual(['::error title=gate max_flaky::3 flaky scenarios, at most 1 allowed']);
    expect(annotations(runRecord(RUN, [sampleScenario('fine', [sampleTrial(1, [])], 1)]))).toEqual([]);
  });
});
