import type { z } from 'zod';
import { HelpdeskError } from '../../orchestrator/errors.ts';
import { capTexts, RESULTS_TEXT_MAX_CHARS } from './cap.ts';
import { RunRecordSchema, ScenarioRecordSchema, type RunRecord, type ScenarioRecord } from './records.ts';

/** The record did not match the results.json schema; nothing was written. */
export class InvalidRunRecordError extends HelpdeskError {
  readonly issues: readonly string[];
  constructor(issues: readonly string[], options?: { cause?: unknown }) {
    super('invalid_run_record', `the run record does not match the results.json schema:\n  ${issues.join('\n  ')}`, options);
    this.issues = issues;
  }
}

function issuesOf(error: z.ZodError, prefix = ''): string[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    return `${path.length > 0 ? path : '(top level)'}: ${issue.message}`;
  });
}

/** A scenario record checked against the results.json schema, its texts cut to RESULTS_TEXT_MAX_CHARS. */
export function validScenarioRecord(record: ScenarioRecord): ScenarioRecord {
  const parsed = ScenarioRecordSchema.safeParse(capTexts(record, RESULTS_TEXT_MAX_CHARS));
  if (!parsed.success) throw new InvalidRunRecordError(issuesOf(parsed.error, `scenarios.${record.id}`), { cause: parsed.error });
  return parsed.data;
}

/** A run record checked against the results.json schema, its texts cut to RESULTS_TEXT_MAX_CHARS. */
export function validRunRecord(record: RunRecord): RunRecord {
  const parsed = RunRecordSchema.safeParse(capTexts(record, RESULTS_TEXT_MAX_CHARS));
  if (!parsed.success) throw new InvalidRunRecordError(issuesOf(parsed.error), { cause: parsed.error });
  return parsed.data;
}
