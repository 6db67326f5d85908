import { mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { writeFileAtomic } from '../../shared/atomic-write.ts';
import { StorageError } from '../../orchestrator/errors.ts';
import type { RunRecord, ScenarioRecord } from '../results/records.ts';
import { validRunRecord } from '../results/valid-record.ts';
import { capTexts, REPORT_TEXT_MAX_CHARS } from '../results/cap.ts';
import { reportHtmlParts } from './html.ts';
import { junitXml } from './junit.ts';
import { summaryMarkdown } from './markdown.ts';

/** The files of one run's reports, in the order writeReports returns their paths. */
export const REPORT_FILES = ['results.json', 'junit.xml', 'summary.md', 'report.html'] as const;

/** Where the reports read each scenario's whole record: a run's journal (see results/journal.ts). */
export interface FullRecords {
  /**
   * The scenario's line as kept (checked and cut to RESULTS_TEXT_MAX_CHARS), as bytes, or undefined
   * when it was not kept; the bytes may be reused by the next call.
   */
  bytes(id: string): Uint8Array | undefined;
  /** The scenario's whole record. */
  full(record: ScenarioRecord): ScenarioRecord;
}

/** Options for the reports. */
export interface WriteOptions {
  /** The repository root: scenario files are shown relative to it in junit.xml and summary.md. */
  readonly root?: string;
  /**
   * The run's journal when the record's scenarios are thin (transcripts without events): results.json
   * and report.html read each scenario's whole record from it, one at a time.
   */
  readonly journal?: FullRecords;
  /** HELPDESK_TRACE_URL: traced trials link their trace ID there ("{trace_id}" replaced). */
  readonly traceUrl?: string | undefined;
}

/**
 * Writes a file through a temporary one, from pieces (text, or bytes copied as they are), so a
 * half-written report never replaces a whole one. Text is gathered into writes of about 1 MB.
 */
function writePieces(path: string, pieces: Iterable<string | Uint8Array>): void {
  writeFileAtomic(path, batched(pieces));
}

/** Small text pieces joined into writes of about 1 MiB; byte pieces (journal lines) passed on as they are. */
function* batched(pieces: Iterable<string | Uint8Array>): Generator<string | Uint8Array> {
  let text: string[] = [];
  let size = 0;
  for (const piece of pieces) {
    if (typeof piece !== 'string') {
      if (text.length > 0) yield text.join('');
      text = [];
      size = 0;
      yield piece;
      continue;
    }
    text.push(piece);
    size += piece.length;
    if (size >= 1 << 20) {
      yield text.join('');
      text = [];
      size = 0;
    }
  }
  if (text.length > 0) yield text.join('');
}

/**
 * results.json in pieces: the run's fields pretty-printed, then one scenario per line, each the
 * journal's line as it stands, copied byte for byte (no transcript is read into a string again),
 * or the record's own.
 */
function* resultsJson(record: RunRecord, journal: FullRecords | undefined): Generator<string | Uint8Array> {
  const MARK = '"scenarios": []';
  const head = JSON.stringify({ ...record, scenarios: [] }, null, 2);
  const at = head.indexOf(MARK);
  yield `${head.slice(0, at)}"scenarios": [\n`;
  for (const [i, scenario] of record.scenarios.entries()) {
    yield '    ';
    yield journal?.bytes(scenario.id) ?? JSON.stringify(scenario);
    yield i < record.scenarios.length - 1 ? ',\n' : '\n';
  }
  yield `  ]${head.slice(at + MARK.length)}\n`;
}

/**
 * Writes one run's reports into `dir` (created if needed; reports/<run-id>/ by convention) and
 * returns their paths: results.json, junit.xml, summary.md and report.html. The record is validated against the
 * results.json schema first; an invalid one throws InvalidRunRecordError and writes nothing. Texts past
 * RESULTS_TEXT_MAX_CHARS (results.json) and REPORT_TEXT_MAX_CHARS (the other three) are cut with a note.
 * With a journal, the record's scenarios are thin and each whole one is read back while writing.
 */
export async function writeReports(record: RunRecord, dir: string, options: WriteOptions = {}): Promise<string[]> {
  const { journal } = options;
  // Long texts are cut before anything else touches the record: a 50 MB answer must not be
  // copied by the schema check, repeated in three places of the transcript and embedded twice.
  // A journal's scenarios were checked line by line as they were kept (validScenarioRecord): only
  // the run's own fields are checked here, instead of copying every thin record once more.
  const checked = validRunRecord(journal ? { ...record, scenarios: [] } : record);
  const valid = journal ? { ...checked, scenarios: record.scenarios } : checked;
  const shown = capTexts(valid, REPORT_TEXT_MAX_CHARS);
  const full = journal ? (s: ScenarioRecord) => journal.full(s) : (s: ScenarioRecord) => s;
  const paths = REPORT_FILES.map((name) => join(dir, name));
  const [results, junit, summary, html] = paths as [string, string, string, string];
  await mkdir(dir, { recursive: true });
  // Each file on its own: one that does not fit (a full disk) leaves the others to be written.
  const writes: [string, () => Iterable<string | Uint8Array>][] = [
    [results, () => resultsJson(valid, journal)],
    [junit, () => [junitXml(shown, options)]],
    [summary, () => [summaryMarkdown(shown, options)]],
    [html, () => reportHtmlParts(shown, options, full)],
  ];
  const failed: { path: string; error: Error }[] = [];
  for (const [path, pieces] of writes) {
    try {
      writePieces(path, pieces());
    } catch (error) {
      failed.push({ path, error: error as Error });
    }
  }
  if (failed.length > 0)
    throw new ReportWriteError(
      dir,
      paths.filter((p) => !failed.some((f) => f.path === p)),
      failed,
    );
  return paths;
}

/** Some report files could not be written (each that could was written whole; none was left half-written). */
export class ReportWriteError extends StorageError {
  readonly dir: string;
  readonly written: readonly string[];
  readonly failed: readonly { readonly path: string; readonly error: Error }[];
  constructor(dir: string, written: readonly string[], failed: readonly { path: string; error: Error }[]) {
    const first = failed[0]?.error;
    super(dir, `could not write ${failed.map((f) => basename(f.path)).join(', ')} in ${dir}: ${first?.message ?? 'unknown error'}`, {
      cause: first,
    });
    this.dir = dir;
    this.written = written;
    this.failed = failed;
  }
}
