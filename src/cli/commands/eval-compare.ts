import { appendFileSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { comparisonRecord, type ComparedRun } from '../../harness/results/comparison.ts';
import { comparisonTerminal, writeComparison } from '../../harness/reporters/comparison.ts';
import type { RunRecord } from '../../harness/results/records.ts';
import type { InvalidScenarioFile } from '../../harness/scenario/load-suite.ts';
import type { LoadedScenario } from '../../harness/scenario/scenario.ts';
import { newRunId } from '../../harness/suite/run-suite.ts';
import { checkWritable } from '../../harness/results/report-folder.ts';
import { EXIT } from '../exit-codes.ts';
import { closeResources, evalInterrupts, openResources, runPass, type EvalPlan, type EvalResources } from './eval-run.ts';
import { modelRecordings, type ComparedModel } from './eval-models.ts';
import { startTracing } from '../../shared/tracing.ts';

/** The exit code of several passes: an interruption, then bad usage, then a failure, wins. */
function worst(codes: readonly number[]): number {
  for (const code of [EXIT.interrupted, EXIT.usage, EXIT.modelError]) if (codes.includes(code)) return code;
  return codes.find((c) => c !== EXIT.ok) ?? EXIT.ok;
}

/**
 * Runs the selected scenarios on each model of the plan, one model after another on the same
 * servers: each model's run is a whole run of its own (its cassettes in recordings/<label>/, its
 * reports in <comparison>/<label>/, its gates), and the comparison puts them side by side in the
 * terminal and in comparison.json, .md and .html. Every model's endpoint and key are checked before
 * the first one runs. Ctrl+C stops after the model in flight has written its partial report.
 */
export async function runComparison(
  plan: EvalPlan,
  models: readonly ComparedModel[],
  scenarios: readonly LoadedScenario[],
  invalid: readonly InvalidScenarioFile[],
): Promise<number> {
  const runId = newRunId(`compare-${plan.mode}`);
  const dir = plan.values['report-dir'] ? resolve(plan.values['report-dir']) : resolve(plan.project.reportsDir, runId);
  checkWritable(dir, 'comparison folder');
  const startedAt = new Date().toISOString();
  const started = performance.now();
  // Each model's settings, endpoint and key, checked now: a missing key must not cost the other models' runs.
  // One set of servers and one replay hub serve every model; the judge is the first model's endpoint
  // unless HELPDESK_JUDGE_* say otherwise.
  const opened: EvalResources[] = [];
  try {
    for (const model of models) {
      const modelPlan: EvalPlan = {
        ...plan,
        recordingsDir: modelRecordings(plan.recordingsDir, model),
        values: { ...plan.values, 'report-dir': join(dir, model.label), model: [model.name] },
      };
      const first = opened[0];
      opened.push(first ? { ...openResources(modelPlan, model, first), judgeFrom: first.live } : openResources(modelPlan, model));
    }
  } catch (error) {
    if (opened[0]) await closeResources(opened[0]);
    throw error;
  }
  const runs: ComparedRun[] = [];
  const codes: number[] = [];
  // Traced: the comparison is one trace, each model's run a span beneath it.
  const trace = (await startTracing(plan.env))?.root(`helpdesk eval compare ${plan.mode}`, {
    attributes: { 'helpdesk.run.id': runId, 'helpdesk.run.mode': plan.mode, 'helpdesk.models': models.map((m) => m.label) },
  });
  const interrupts = evalInterrupts(() => process.exit(EXIT.interrupted));
  try {
    for (const [i, model] of models.entries()) {
      const resources = opened[i] as EvalResources;
      process.stderr.write(
        `\n== model ${i + 1}/${models.length}: ${model.label}${model.label === model.name ? '' : ` (${model.name})`} ==\n`,
      );
      let record: RunRecord | undefined;
      const code = await runPass(resources, scenarios, invalid, interrupts, {
        brief: true,
        label: `${plan.mode} ${model.label}`,
        onRecord: (r) => {
          record = r;
        },
        trace,
      });
      codes.push(code);
      // A pass that was interrupted before any scenario finished still reports; one that never reached its end does not.
      if (record) runs.push({ label: model.label, model: model.name, api: resources.settings.api, report: model.label, record });
      if (code === EXIT.interrupted) break;
    }
  } finally {
    trace?.end();
    interrupts.dispose();
    await closeResources(opened[0] as EvalResources);
  }
  const record = comparisonRecord(
    { runId, startedAt, durationMs: performance.now() - started, selected: models.length },
    // A replayed run names no model: the comparison knows which model each cassette folder holds.
    runs.map((run) => ({ ...run, model: run.record.model ?? run.model })),
  );
  process.stdout.write(`\n${comparisonTerminal(record).join('\n')}\n`);
  const written = writeComparison(record, dir);
  process.stdout.write(`comparison: ${written.map((p) => p.replace(`${process.cwd()}/`, '')).join(', ')}\n`);
  if (plan.env.GITHUB_STEP_SUMMARY) appendFileSync(plan.env.GITHUB_STEP_SUMMARY, readFileSync(join(dir, 'comparison.md'), 'utf8'));
  return worst(codes);
}
