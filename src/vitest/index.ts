// mcp-helpdesk/vitest: scenario files as tests of a team's own vitest suite, and matchers over a
// run. Importing it adds the matchers to vitest's `expect`.
import { afterAll, describe, expect, it } from 'vitest';
import { SuiteSession, type SuiteOptions } from '../api/session.ts';
import { ConfigError, HelpdeskError } from '../orchestrator/errors.ts';
import { resultDetails } from '../harness/reporters/terminal.ts';
import type { ScenarioResult } from '../harness/results/scenario-result.ts';
import { helpdeskMatchers, type HelpdeskMatchers } from './matchers.ts';

export { helpdeskMatchers } from './matchers.ts';
export type { EnvelopeExpectation, HelpdeskMatchers, ToolsMode } from './matchers.ts';
export type { SuiteOptions } from '../api/session.ts';

expect.extend(helpdeskMatchers);

declare module 'vitest' {
  // Merged into vitest 5's own Matchers (its type parameters, as it declares them), so expect(run) knows them.
  interface Matchers<R extends void | Promise<void> = void | Promise<void>, T = unknown> extends HelpdeskMatchers<R> {}
}

/** A scenario that failed, with the reasons `helpdesk eval` gives (expected vs actual), one per line. */
export class ScenarioFailedError extends HelpdeskError {
  readonly result: ScenarioResult;
  constructor(result: ScenarioResult) {
    super('scenario_failed', `scenario ${result.id} failed:\n  ${resultDetails(result).join('\n  ') || 'no check passed'}`);
    this.result = result;
  }
}

/** Options of useHelpdesk and describeScenarios: the suite, plus each test's time limit. */
export interface ScenarioTestOptions extends SuiteOptions {
  /** Time limit of one scenario's test in milliseconds; default 60,000. */
  readonly timeout?: number;
}

/** A suite opened for the tests of one file: its servers stop after the file's last test. */
export interface Helpdesk {
  readonly session: SuiteSession;
  /** Runs the scenario (or variation) with this ID and returns its graded result, passed or not. */
  run(id: string): Promise<ScenarioResult>;
}

const DEFAULT_TIMEOUT_MS = 60_000;
/** Stopping every server of a suite: the pools' own close is bounded well inside this. */
const CLOSE_TIMEOUT_MS = 30_000;

/**
 * Opens the suite for the current file (or describe block) and closes it after its last test:
 * `const helpdesk = useHelpdesk(); it('…', async () => expect(await helpdesk.run('id')).toHaveCalledTools([...]))`.
 */
export function useHelpdesk(options: ScenarioTestOptions = {}): Helpdesk {
  const session = new SuiteSession(options);
  afterAll(() => session.close(), CLOSE_TIMEOUT_MS);
  return { session, run: (id) => session.runCase(session.case(id)) };
}

/**
 * One test per scenario (or variation) of the suite, replayed by default, in a describe block
 * named `name`. A scenario that fails fails its test with the reasons; a scenario file that cannot
 * be loaded is a failing test of its own naming the file, line and field.
 */
export function describeScenarios(name: string, options: ScenarioTestOptions = {}): void {
  describe(name, () => {
    const { session } = useHelpdesk(options);
    const timeout = options.timeout ?? DEFAULT_TIMEOUT_MS;
    for (const bad of session.suite.invalid) {
      it(bad.id, () => {
        throw new ConfigError(`invalid scenario file ${bad.file}:\n  ${bad.problems.join('\n  ')}`, undefined, 'invalid_scenario_file');
      });
    }
    for (const loaded of session.suite.scenarios) {
      it(
        loaded.scenario.id,
        async () => {
          const result = await session.runCase(loaded);
          if (!result.pass) throw new ScenarioFailedError(result);
        },
        timeout,
      );
    }
  });
}
