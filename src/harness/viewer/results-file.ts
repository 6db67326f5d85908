import { createReadStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { RESULTS_SCHEMA_VERSION, RunRecordSchema, ScenarioRecordSchema, type RunRecord } from '../results/records.ts';
import { ConfigError } from '../../orchestrator/errors.ts';

/** A results.json that cannot be read: missing, not JSON, or not the schema this version reads. */
/** Why a folder is not a run: it holds no results.json (a comparison of models' folder, say). */
export const NO_RESULTS = 'no results.json';

export class UnreadableResultsError extends ConfigError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options, 'unreadable_results');
  }
}

/** What the list of runs shows of a run: its header, totals and gates, without any scenario. */
export const HeadlineSchema = RunRecordSchema.pick({
  schema_version: true,
  run_id: true,
  started_at: true,
  duration_ms: true,
  mode: true,
  authored: true,
  model: true,
  trials: true,
  k: true,
  shard: true,
  price_table: true,
  totals: true,
  gates: true,
  partial: true,
});
export type Headline = z.infer<typeof HeadlineSchema>;

/** A scenario without its trials: what a comparison of two runs reads. */
const ThinScenarioSchema = ScenarioRecordSchema.omit({ trials: true });
const RestSchema = RunRecordSchema.omit({ scenarios: true });

// write.ts puts the run's fields first, then one scenario per line, then totals and the rest.
// No JSON string holds a raw newline, so these two lines at indent 2 can only be the top level's.
const SCENARIOS_LINE = '  "scenarios": [';
const TOTALS_MARK = '\n  "totals": ';
const HEAD_LIMIT = 1 << 20;
const TAIL_LIMIT = 32 << 20;
const CHUNK = 64 << 10;

/** A failure to read results.json as the error the viewer reports (one already reported as is). */
function unreadable(error: unknown): UnreadableResultsError {
  if (error instanceof UnreadableResultsError) return error;
  const { code, message } = error as NodeJS.ErrnoException;
  return new UnreadableResultsError(code === 'ENOENT' ? NO_RESULTS : `results.json: ${message}`, { cause: error });
}

function schemaProblem(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue?.path[0] === 'schema_version') return `schema_version is not ${RESULTS_SCHEMA_VERSION}, the one this version reads`;
  return `${issue?.path.join('.') || '(top level)'}: ${issue?.message ?? 'does not match the schema'}`;
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UnreadableResultsError(`${what} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}

function checked<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new UnreadableResultsError(`results.json: ${schemaProblem(parsed.error)}`, { cause: parsed.error });
  return parsed.data;
}

/** The run's fields before its scenarios, read from the start of the file; undefined when the layout is not write.ts's. */
async function headFields(path: string): Promise<Record<string, unknown> | undefined> {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(Math.min(HEAD_LIMIT, (await file.stat()).size));
    const { bytesRead } = await file.read(buffer, 0, buffer.length, 0);
    const text = buffer.subarray(0, bytesRead).toString('utf8');
    const at = text.indexOf(`\n${SCENARIOS_LINE}\n`);
    if (at < 0) return undefined;
    const head = parseJson(`${text.slice(0, at).replace(/,\s*$/, '')}\n}`, 'results.json');
    return typeof head === 'object' && head !== null ? (head as Record<string, unknown>) : undefined;
  } finally {
    await file.close();
  }
}

/** The fields after the scenarios (totals, gates, ...), read backwards from the end; undefined when not found. */
async function tailFields(path: string): Promise<Record<string, unknown> | undefined> {
  const file = await open(path, 'r');
  try {
    const size = (await file.stat()).size;
    let tail = Buffer.alloc(0);
    for (let end = size; end > 0 && tail.length < TAIL_LIMIT; end -= CHUNK) {
      const start = Math.max(0, end - CHUNK);
      const chunk = Buffer.alloc(end - start);
      await file.read(chunk, 0, chunk.length, start);
      tail = Buffer.concat([chunk, tail]);
      const at = tail.lastIndexOf(TOTALS_MARK);
      if (at >= 0) return parseJson(`{${tail.subarray(at).toString('utf8')}`, 'results.json') as Record<string, unknown>;
    }
    return undefined;
  } finally {
    await file.close();
  }
}

async function wholeRecord(path: string): Promise<RunRecord> {
  const text = await readFile(path, 'utf8').catch((error: unknown) => {
    throw unreadable(error);
  });
  return checked(RunRecordSchema, parseJson(text, 'results.json'));
}

/**
 * A run's headline from its results.json, reading only the run's fields at the start and the
 * totals at the end, never the scenario lines between them. A file in another layout is read whole.
 */
export async function readHeadline(path: string): Promise<Headline> {
  const head = await headFields(path).catch((error: unknown) => {
    throw unreadable(error);
  });
  const tail = head ? await tailFields(path) : undefined;
  if (!head || !tail) return checked(HeadlineSchema, await wholeRecord(path));
  return checked(HeadlineSchema, { ...head, ...tail });
}

/** A scenario from its line, or undefined when the line is not a whole scenario (a file pretty-printed throughout). */
function scenarioLine(line: string): z.infer<typeof ThinScenarioSchema> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line.replace(/,$/, ''));
  } catch {
    return undefined;
  }
  return checked(ThinScenarioSchema, value);
}

/**
 * A run record whose scenarios keep their summaries but no trials: enough to compare two runs.
 * The scenario lines are parsed one at a time, so a 90 MB file is never one string in memory.
 */
export async function readThinRecord(path: string): Promise<RunRecord> {
  const before: string[] = [];
  const after: string[] = [];
  const scenarios: RunRecord['scenarios'] = [];
  let part: 'head' | 'scenarios' | 'tail' = 'head';
  const input = createReadStream(path, 'utf8');
  const lines = createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      if (part === 'head' && line === SCENARIOS_LINE) part = 'scenarios';
      else if (part === 'head') before.push(line);
      else if (part === 'scenarios' && line.startsWith('    {')) {
        const scenario = scenarioLine(line);
        if (!scenario) break;
        scenarios.push({ ...scenario, trials: [] });
      } else if (part === 'scenarios') {
        part = 'tail';
        after.push(line.replace(/^\s*\]/, ''));
      } else after.push(line);
    }
  } catch (error) {
    throw unreadable(error);
  } finally {
    lines.close();
    input.destroy();
  }
  if (part !== 'tail') {
    const whole = await wholeRecord(path);
    return { ...whole, scenarios: whole.scenarios.map((s) => ({ ...s, trials: [] })) };
  }
  const head = `${before.join('\n').replace(/,\s*$/, '')},${after.join('\n').replace(/^\s*,/, '')}`;
  return { ...checked(RestSchema, parseJson(head, 'results.json')), scenarios };
}
