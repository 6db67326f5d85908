// mcp-helpdesk: the harness as a library. What `helpdesk eval` does — load a suite, run it
// against MCP servers with a replayed, recorded or live model, grade it — from a team's own
// scripts. Named exports only; everything not named here is internal and free to move.

/** Runs a suite as `helpdesk eval` does and returns the record its results.json holds. */
export { evaluate } from './api/evaluate.ts';
export type { EvaluateOptions, Evaluation } from './api/evaluate.ts';
/** A suite opened for running one scenario at a time (what the vitest entry uses), and how it is chosen. */
export { SuiteSession } from './api/session.ts';
export type { ModelEndpoint, SuiteOptions } from './api/session.ts';
/** How a run gets the model's turns: 'replay' | 'rebase' | 'record' | 'author' | 'live'. */
export type { RunMode } from './harness/run/scenario-run.ts';

/** Declares a config or a scenario in code, checked as helpdesk.config.json and scenario files are. */
export { defineConfig, defineScenario } from './api/define.ts';
export type { ScenarioInput } from './api/define.ts';
export type { ConfigInput } from './orchestrator/config.ts';

/** Declares a custom grader (`expect.custom` in a scenario names its module). */
export { defineGrader } from './harness/grading/grader.ts';
export type { Grader, GraderInput, GraderOutput } from './harness/grading/grader.ts';

/** Loads a folder of scenario files: the selected cases, and the files that could not be loaded. */
export { loadSuite } from './harness/scenario/load-suite.ts';
export type { InvalidScenarioFile, ScenarioFilter, Suite } from './harness/scenario/load-suite.ts';
/** The scenario file format: its checked type, a loaded case, and its JSON Schema for editors. */
export { scenarioJsonSchema, ScenarioFileError } from './harness/scenario/scenario.ts';
export type { LoadedScenario, Scenario, ScenarioFile } from './harness/scenario/scenario.ts';

/** What a run produced: results.json's records, and one scenario's graded run. */
export type { RunRecord, ScenarioRecord, TrialRecord } from './harness/results/records.ts';
export type { ScenarioResult } from './harness/results/scenario-result.ts';
export type { ObservedCall, ScenarioRun } from './harness/run/scenario-run.ts';
export type { GradeResult } from './harness/grading/score.ts';
export type { Transcript, TranscriptEvent } from './orchestrator/transcript.ts';
export type { ErrorEnvelope } from './shared/envelope.ts';

/** The errors the harness throws, each saying who is at fault. */
export { ConfigError, HelpdeskError, ModelError, ServerStartError, StorageError } from './orchestrator/errors.ts';
export { InvalidRunRecordError } from './harness/results/valid-record.ts';
