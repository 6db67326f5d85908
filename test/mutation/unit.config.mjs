// @ts-check
import { strykerRun } from './shared.mjs';

/**
 * The orchestrator's and the harness's logic against the unit tests beside it: each mutant is
 * tried in milliseconds, so this run covers most of the code and re-runs in a minute or two.
 */
export default strykerRun({
  name: 'unit',
  vitestConfig: 'test/mutation/vitest.unit.config.ts',
  mutate: [
    'src/orchestrator/agent-loop.ts',
    'src/orchestrator/builtin-servers.ts',
    'src/orchestrator/config.ts',
    'src/orchestrator/envelopes.ts',
    'src/orchestrator/errors.ts',
    'src/orchestrator/openai-model.ts',
    'src/orchestrator/openai-tools.ts',
    'src/orchestrator/output-validators.ts',
    'src/orchestrator/prompt.ts',
    'src/orchestrator/scripted-model.ts',
    'src/orchestrator/tool-registry.ts',
    'src/harness/grading/**/*.ts',
    // A grader thread's own code runs in a worker thread, where the switch that turns a mutant on
    // (a global of the test's thread) cannot reach: no test could ever catch a mutant there.
    '!src/harness/grading/grader-thread.ts',
    'src/harness/judge/*.ts',
    'src/harness/cassettes/contract.ts',
    'src/harness/cassettes/drift-groups.ts',
    'src/harness/cassettes/json-diff.ts',
    'src/harness/cassettes/triage.ts',
    'src/harness/cassettes/word-diff.ts',
    'src/harness/cassettes/cassette.ts',
    'src/harness/results/stats.ts',
  ],
});
