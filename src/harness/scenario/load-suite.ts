import { readdirSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import { loadScenarioCases, ScenarioFileError, type LoadedScenario } from './scenario.ts';
import { isScenarioFile, scenarioFileId } from './source.ts';

// A folder of scenario files as a suite: which cases the filters select, and what to do with the
// files that cannot be loaded.

/** Which scenarios to run. */
export interface ScenarioFilter {
  readonly ids?: readonly string[];
  readonly tags?: readonly string[];
  readonly files?: readonly string[];
}

/** Every scenario file in `dir` (sorted by id), filtered; all files are validated first, and any invalid one throws. */
export function loadScenarios(dir: string, filter: ScenarioFilter = {}, root: string = process.cwd()): LoadedScenario[] {
  const all = loadSuite(dir, {}, root);
  if (all.invalid.length > 0) {
    throw new ScenarioFileError(
      relative(root, dir) || dir,
      all.invalid.map((bad) => `${relative(root, bad.file) || bad.file}:\n  ${bad.problems.join('\n  ')}`),
    );
  }
  return all.scenarios.filter((s) => selected(s, filter));
}

/** A scenario file that could not be loaded: the ID its name gives, the file and what is wrong. */
export interface InvalidScenarioFile {
  readonly id: string;
  readonly file: string;
  readonly problems: readonly string[];
}

/** The selected scenarios of a folder, and its files that could not be loaded, selected or not. */
export interface Suite {
  readonly scenarios: LoadedScenario[];
  /** Invalid files the filters select (by their name; every one when there is no filter). */
  readonly invalid: InvalidScenarioFile[];
  /** Invalid files the filters leave out: worth a warning, not a failure. */
  readonly skipped: InvalidScenarioFile[];
}

/**
 * Loads a folder like loadScenarios, but a file that cannot be loaded does not stop the others:
 * it is returned as invalid, with its problems, when the filters select it (an --id or --file
 * naming it, or no filter at all) and as skipped otherwise (a --tag cannot be read from it).
 */
export function loadSuite(dir: string, filter: ScenarioFilter = {}, root: string = process.cwd()): Suite {
  const files = readdirSync(dir)
    .filter(isScenarioFile)
    .sort()
    .map((name) => join(dir, name));
  const loaded: LoadedScenario[] = [];
  const invalid: InvalidScenarioFile[] = [];
  const skipped: InvalidScenarioFile[] = [];
  const filtered = Boolean(filter.ids?.length || filter.tags?.length || filter.files?.length);
  const owners = new Map<string, string>();
  for (const file of files) {
    try {
      claimId(file, owners, root);
      loaded.push(...loadScenarioCases(file, root));
    } catch (error) {
      const id = scenarioFileId(basename(file));
      const bad = { id, file, problems: error instanceof ScenarioFileError ? error.problems : [(error as Error).message] };
      const named = Boolean(filter.ids?.includes(id) || namesFile(filter, file));
      (!filtered || named ? invalid : skipped).push(bad);
    }
  }
  return { scenarios: loaded.filter((s) => selected(s, filter)), invalid, skipped };
}

/** Cases given as they are (scenarios declared in code) as a suite: the filter applied, nothing invalid. */
export function selectCases(cases: readonly LoadedScenario[], filter: ScenarioFilter = {}): Suite {
  return { scenarios: cases.filter((s) => selected(s, filter)), invalid: [], skipped: [] };
}

/** One ID, one file: x.json and x.yaml in one folder would run and record as the same scenario. */
function claimId(file: string, owners: Map<string, string>, root: string): void {
  const id = scenarioFileId(basename(file));
  const owner = owners.get(id);
  if (owner)
    throw new ScenarioFileError(relative(root, file) || file, [
      `id "${id}" is already the name of ${relative(root, owner) || owner}; one scenario, one file`,
    ]);
  owners.set(id, file);
}

function selected({ scenario, file, variation }: LoadedScenario, filter: ScenarioFilter): boolean {
  // A scenario's ID selects all its variations; a case ID (<scenario>.<variation>) selects one.
  if (filter.ids?.length && !filter.ids.includes(scenario.id) && !(variation && filter.ids.includes(variation.scenario))) return false;
  if (filter.tags?.length && !filter.tags.some((tag) => scenario.tags.includes(tag))) return false;
  if (filter.files?.length && !namesFile(filter, file)) return false;
  return true;
}

/** Whether a --file of the filter names this file (as a path, or as its end). */
function namesFile(filter: ScenarioFilter, file: string): boolean {
  return filter.files?.some((f) => resolve(f) === file || file.endsWith(`${sep}${f}`)) === true;
}
