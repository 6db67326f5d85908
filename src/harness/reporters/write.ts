import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RunRecordSchema, type RunRecord } from '../results.ts';
import { capTexts, REPORT_TEXT_MAX_CHARS, RESULTS_TEXT_MAX_CHARS } from './cap.ts';
import { reportHtml } from './html.ts';
import { junitXml } from './junit.ts';
import { summaryMarkdown } from './markdown.ts';

/** The files of one run's reports, in the order writeReports returns their paths. */
export const REPORT_FILES = ['results.json', 'junit.xml', 'summary.md', 'report.html'] as const;

/** The record did not match the results.json schema; nothing was written. */
export class InvalidRunRecordError extends Error {
  readonly code = 'invalid_run_record';
  readonly issues: readonly string[];
  constructor(issues: readonly string[], options?: ErrorOptions) {
    super(`the run record does not match the results.json schema:\n  ${issues.join('\n  ')}`, options);
    this.name = new.target.name;
    this.issues = issues;
  }
}

/** Options for the reports. */
export interface WriteOptions {
  /** The repository root: scenario files are shown relative to it in junit.xml and summary.md. */
  readonly root?: string;
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, path);
}

/**
 * Writes one run's reports into `dir` (created if needed; reports/<run-id>/ by convention) and
 * returns their paths: results.json, junit.xml, summary.md and report.html. The record is validated against the
 * results.json schema first; an invalid one throws InvalidRunRecordError and writes nothing. Texts past
 * RESULTS_TEXT_MAX_CHARS (results.json) and REPORT_TEXT_MAX_CHARS (the other three) are cut with a note.
 */
export async function writeReports(record: RunRecord, dir: string, options: WriteOptions = {}): Promise<string[]> {
  // Long texts are cut before anything else touches the record: a 50 MB answer must not be
  // copied by the schema check, repeated in three places of the transcript and embedded twice.
  const parsed = RunRecordSchema.safeParse(capTexts(record, RESULTS_TEXT_MAX_CHARS));
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(top level)'}: ${issue.message}`);
    throw new InvalidRunRecordError(issues, { cause: parsed.error });
  }
  const valid = parsed.data;
  const shown = capTexts(valid, REPORT_TEXT_MAX_CHARS);
  const texts = [
    `${JSON.stringify(valid, null, 2)}\n`,
    junitXml(shown, options),
    summaryMarkdown(shown, options),
    reportHtml(shown, options),
  ];
  const paths = REPORT_FILES.map((name) => join(dir, name));
  await mkdir(dir, { recursive: true });
  await Promise.all(paths.map((path, i) => writeAtomically(path, texts[i] as string)));
  return paths;
}
