import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { RunRecord } from '../results/records.ts';
import { ComparisonRecordSchema, type ComparisonRecord } from '../results/comparison.ts';
import { readHeadline, readThinRecord, UnreadableResultsError, type Headline, NO_RESULTS } from './results-file.ts';
import { ConfigError } from '../../orchestrator/errors.ts';

/** A run folder of the served folder: its headline, or why its results.json cannot be read. */
export type RunEntry =
  | { readonly id: string; readonly state: 'readable'; readonly headline: Headline }
  /** A folder of models compared (helpdesk eval with several models): its comparison.json; each model's run is inside it. */
  | { readonly id: string; readonly state: 'comparison'; readonly comparison: ComparisonRecord }
  | { readonly id: string; readonly state: 'unreadable'; readonly reason: string };

/** No run folder of that name in the served folder. */
export class UnknownRunError extends ConfigError {
  readonly id: string;
  constructor(id: string) {
    super(`no run "${id}" in the served folder`, undefined, 'unknown_run');
    this.id = id;
  }
}

/** Thin records kept for comparisons (each is its scenarios' summaries, about 1 KB a scenario). */
const RECORDS_KEPT = 4;

/** Whether `name` can only mean a folder directly inside another: no separators, no dot names. */
export function isPlainName(name: string): boolean {
  return name.length > 0 && !name.startsWith('.') && !/[/\\\0]/.test(name);
}

/** The real path of `path` when it exists and lies inside `root` (a real path), else undefined. */
export async function realInside(root: string, path: string): Promise<string | undefined> {
  const real = await realpath(path).catch(() => undefined);
  return real !== undefined && real.startsWith(`${root}${sep}`) ? real : undefined;
}

/**
 * The runs of a reports folder, one per sub-folder. Headlines and thin records are read from each
 * run's results.json and kept until the file's modification time or size changes.
 */
export class RunsIndex {
  /** The served folder, as a real path. */
  readonly root: string;
  readonly #headlines = new Map<string, { stamp: string; entry: RunEntry }>();
  readonly #records = new Map<string, { stamp: string; record: RunRecord }>();

  constructor(root: string) {
    this.root = root;
  }

  /** The run folder's real path, or undefined when there is no such folder inside the served one. */
  async folder(id: string): Promise<string | undefined> {
    if (!isPlainName(id)) return undefined;
    const real = await realInside(this.root, join(this.root, id));
    return real !== undefined && (await stat(real)).isDirectory() ? real : undefined;
  }

  /** Every run, newest first (by start time); folders whose results.json cannot be read come last. */
  async list(): Promise<RunEntry[]> {
    const names = (await readdir(this.root, { withFileTypes: true }))
      .filter((d) => (d.isDirectory() || d.isSymbolicLink()) && !d.name.startsWith('.'))
      .map((d) => d.name);
    for (const gone of [...this.#headlines.keys()].filter((id) => !names.includes(id))) this.#headlines.delete(gone);
    const entries = (await Promise.all(names.map((id) => this.#entry(id)))).filter((e) => e !== undefined);
    const started = (e: RunEntry) =>
      e.state === 'readable' ? e.headline.started_at : e.state === 'comparison' ? e.comparison.started_at : '';
    return entries.sort((a, b) => started(b).localeCompare(started(a)) || a.id.localeCompare(b.id));
  }

  /** A run's record with its scenarios' summaries and no trials; throws UnknownRunError or UnreadableResultsError. */
  async record(id: string): Promise<RunRecord> {
    const { path, stamp } = await this.#results(id);
    const kept = this.#records.get(id);
    if (kept?.stamp === stamp) {
      this.#records.delete(id);
      this.#records.set(id, kept);
      return kept.record;
    }
    const record = await readThinRecord(path);
    this.#records.set(id, { stamp, record });
    for (const old of this.#records.keys()) if (this.#records.size > RECORDS_KEPT) this.#records.delete(old);
    return record;
  }

  async #entry(id: string): Promise<RunEntry | undefined> {
    try {
      const { path, stamp } = await this.#results(id);
      const kept = this.#headlines.get(id);
      if (kept?.stamp === stamp) return kept.entry;
      const entry: RunEntry = { id, state: 'readable', headline: await readHeadline(path) };
      this.#headlines.set(id, { stamp, entry });
      return entry;
    } catch (error) {
      if (error instanceof UnreadableResultsError && error.message === NO_RESULTS) {
        const comparison = await this.#comparison(id);
        if (comparison) return comparison;
      }
      if (error instanceof UnknownRunError) {
        // Not a folder inside the served one: a link out is listed as such, a link to a file inside is no run.
        const inside = await realInside(this.root, join(this.root, id));
        return inside === undefined ? { id, state: 'unreadable', reason: 'a link to nothing or to outside the served folder' } : undefined;
      }
      // A folder that cannot be read (permissions, a file cut short) is listed with the reason, never a failed page.
      if (error instanceof Error) return { id, state: 'unreadable', reason: error.message };
      throw error;
    }
  }

  /** A comparison folder's entry, or undefined when the folder holds no comparison.json. */
  async #comparison(id: string): Promise<RunEntry | undefined> {
    const folder = await this.folder(id);
    const path = folder === undefined ? undefined : await realInside(this.root, join(folder, 'comparison.json'));
    if (path === undefined) return undefined;
    let value: unknown;
    try {
      value = JSON.parse(await readFile(path, 'utf8'));
    } catch (error) {
      return { id, state: 'unreadable', reason: `comparison.json: ${(error as Error).message}` };
    }
    const parsed = ComparisonRecordSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return { id, state: 'unreadable', reason: `comparison.json: ${issue?.path.join('.') || 'top level'}: ${issue?.message}` };
    }
    return { id, state: 'comparison', comparison: parsed.data };
  }

  /** The run's results.json and what identifies its current content; throws UnknownRunError or UnreadableResultsError. */
  async #results(id: string): Promise<{ path: string; stamp: string }> {
    const folder = await this.folder(id);
    if (folder === undefined) throw new UnknownRunError(id);
    const path = await realInside(this.root, join(folder, 'results.json'));
    const info = path === undefined ? undefined : await stat(path);
    if (path === undefined || !info?.isFile()) throw new UnreadableResultsError(NO_RESULTS);
    return { path, stamp: `${info.mtimeMs}:${info.size}` };
  }
}
