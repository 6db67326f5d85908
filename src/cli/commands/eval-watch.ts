import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, statSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { PROJECT_ROOT } from '../../orchestrator/builtin-servers.ts';
import { ConfigError } from '../../orchestrator/errors.ts';
import { isScenarioFile } from '../../harness/scenario/source.ts';
import { EXIT } from '../exit-codes.ts';
import type { Project } from '../../harness/suite/project.ts';
import {
  closeResources,
  evalInterrupts,
  openResources,
  planEval,
  runPass,
  selectScenarios,
  type EvalPlan,
  type EvalResources,
} from './eval-run.ts';
import { Interrupts } from '../interrupts.ts';

// `helpdesk eval --watch`: a watcher process and a long-lived eval process it starts. The eval
// process keeps its servers and replay hub between passes, so a pass after an edit costs the
// replay alone; the watcher starts a new one when helpdesk's own code changes, which a running
// process cannot load again.

/** Changes closer together than this are one change (an editor's save writes several times). */
const SETTLE_MS = 150;
/** How long a stopping eval process may take before it is killed. */
const STOP_MS = 10_000;
/** The code of helpdesk itself (src/, or dist/ once built): a change here needs a new eval process. */
const OWN_CODE = resolve(import.meta.dirname, '..', '..');
/** The installed command beside this code, which the watcher starts as the eval process. */
const LAUNCHER = join(OWN_CODE, 'cli', 'helpdesk.mjs');

/** From the watcher to the eval process. */
type ToChild = { readonly type: 'changed'; readonly paths: readonly string[] } | { readonly type: 'stop' };
/** From the eval process to the watcher: a pass is over (or the first one), it waits for changes. */
type FromChild = { readonly type: 'idle' };

const inside = (path: string, dir: string) => path === dir || path.startsWith(`${dir}${sep}`);

/** Editors' swap and backup files, which say nothing about the suite. */
function isScratch(path: string): boolean {
  const name = basename(path);
  return name.startsWith('.#') || name.endsWith('~') || /\.sw[a-p]$/.test(name) || name.endsWith('.tmp');
}

/** What a watched folder is for. */
export interface WatchedFolder {
  readonly path: string;
  /** Helpdesk's own code (a new eval process) or anything the suite runs on (the eval process decides). */
  readonly kind: 'code' | 'suite';
  /** Only these files of the folder, not its subfolders (the config's and the prompt's folders). */
  readonly only?: readonly string[];
}

/**
 * The folders to watch: the scenarios and cassettes, the config and prompt files' folders, every
 * folder a server runs from (its cwd, and the folder of each file its arguments name: a built-in
 * server's bundle or source), the built-in servers' sources, and helpdesk's own code.
 */
export function watchedFolders(project: Project, plan: Pick<EvalPlan, 'scenariosDir' | 'recordingsDir'>): WatchedFolder[] {
  const suite = new Set<string>([plan.scenariosDir, plan.recordingsDir]);
  const files = [project.configPath, project.promptPath].filter((path): path is string => path !== undefined);
  const single = files
    .map((path) => ({ path: dirname(path), kind: 'suite' as const, only: files.filter((f) => dirname(f) === dirname(path)) }))
    .filter((folder, i, all) => all.findIndex((f) => f.path === folder.path) === i);
  for (const server of Object.values(project.servers)) {
    if (server.command === undefined) continue;
    if (server.cwd) suite.add(server.cwd);
    for (const arg of server.args) {
      const path = isAbsolute(arg) ? arg : resolve(server.cwd ?? project.root, arg);
      if (existsSync(path)) suite.add(statSync(path).isDirectory() ? path : dirname(path));
    }
  }
  // The built-in servers' sources, where this is a clone (an installed package has only their bundles).
  const builtinSources = join(PROJECT_ROOT, 'servers');
  if (existsSync(builtinSources) && Object.values(project.servers).some((s) => s.args.some((a) => inside(a, PROJECT_ROOT))))
    suite.add(builtinSources);
  const folders = [...suite]
    .filter((path) => existsSync(path) && !inside(path, OWN_CODE))
    .map((path) => ({ path, kind: 'suite' as const }));
  return [...folders, ...single, { path: OWN_CODE, kind: 'code' }];
}

/**
 * The scenarios a change touches: the scenario files changed, the scenarios whose cassettes
 * changed, or every one ('all') when anything else changed — the config, the prompt, a server.
 */
export function affected(
  paths: readonly string[],
  project: Project,
  plan: Pick<EvalPlan, 'scenariosDir' | 'recordingsDir'>,
): 'all' | { files: Set<string>; ids: Set<string> } {
  const files = new Set<string>();
  const ids = new Set<string>();
  for (const path of paths) {
    if (dirname(path) === plan.scenariosDir && isScenarioFile(basename(path))) files.add(path);
    else if (dirname(path) === plan.recordingsDir && path.endsWith('.json')) ids.add(basename(path, '.json'));
    else if (inside(path, plan.scenariosDir) || inside(path, plan.recordingsDir) || inside(path, project.reportsDir)) continue;
    else return 'all';
  }
  return { files, ids };
}

/** `helpdesk eval --watch` (the watcher) and `--watch-child` (the eval process it runs). */
export async function watchEval(argv: string[], plan: EvalPlan): Promise<number> {
  if (plan.mode !== 'replay' || plan.kinds || plan.values.list) {
    throw new ConfigError(
      '--watch replays the suite after each change; it cannot be combined with --record, --live, --author, --rebase, --fault-matrix or --list',
    );
  }
  return plan.values['watch-child']
    ? evalProcess(plan)
    : watcher(
        argv.filter((a) => a !== '--watch'),
        plan,
      );
}

async function watcher(argv: readonly string[], plan: EvalPlan): Promise<number> {
  const folders = watchedFolders(plan.project, plan);
  let child: ChildProcess | undefined;
  let idle = false;
  let pending = new Set<string>();
  let restart = false;
  let timer: NodeJS.Timeout | undefined;
  let stopping = false;
  let finished: (code: number) => void = () => {};
  const done = new Promise<number>((resolve) => {
    finished = resolve;
  });

  const start = () => {
    idle = false;
    // Its own process group: a Ctrl+C in the terminal reaches the watcher only, which passes it on once.
    child = fork(LAUNCHER, ['eval', ...argv, '--watch-child'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], detached: true });
    child.on('message', (message: FromChild) => {
      if (message.type !== 'idle') return;
      idle = true;
      flush();
    });
    child.on('exit', (code, signal) => {
      child = undefined;
      if (stopping) finished(EXIT.interrupted);
      else if (restart) {
        restart = false;
        start();
      } else {
        process.stderr.write(`helpdesk eval --watch: the eval process ended (${signal ?? `exit ${code}`}); stopping\n`);
        finished(code ?? 1);
      }
    });
  };
  const flush = () => {
    if (!child || !idle || (pending.size === 0 && !restart)) return;
    if (restart) {
      process.stdout.write("\nhelpdesk's own code changed: starting the eval process again\n");
      child.send({ type: 'stop' } satisfies ToChild);
    } else {
      child.send({ type: 'changed', paths: [...pending] } satisfies ToChild);
    }
    pending = new Set();
    idle = false;
  };
  const reports = [plan.project.reportsDir, ...(plan.values['report-dir'] ? [resolve(plan.values['report-dir'])] : [])];
  const watchers: FSWatcher[] = folders.map(({ path, kind, only }) =>
    watch(path, { recursive: only === undefined }, (_event, name) => {
      if (name === null) return;
      const changed = join(path, name.toString());
      if (isScratch(changed) || reports.some((dir) => inside(changed, dir)) || (only && !only.includes(changed))) return;
      if (kind === 'code') restart = true;
      else pending.add(changed);
      clearTimeout(timer);
      timer = setTimeout(flush, SETTLE_MS);
    }),
  );
  // Ctrl+C or SIGTERM: the eval process is told to stop (it finishes a partial report), and
  // killed past STOP_MS; a second Ctrl+C changes nothing.
  const interrupts = new Interrupts(() => {
    if (stopping) return;
    stopping = true;
    if (!child) finished(EXIT.interrupted);
    child?.kill('SIGINT');
    setTimeout(() => child?.kill('SIGKILL'), STOP_MS).unref();
  });
  start();
  try {
    return await done;
  } finally {
    interrupts.dispose();
    clearTimeout(timer);
    for (const w of watchers) w.close();
  }
}

/** Where a change was, for the pass's header line. */
function shown(paths: readonly string[]): string {
  const names = paths.map((p) => relative(process.cwd(), p) || p);
  return names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
}

/** The eval process: a first pass over the selection, then one pass per change it is told of. */
async function evalProcess(first: EvalPlan): Promise<number> {
  // Each pass rewrites one report folder instead of adding a run per save.
  const values = { ...first.values, 'report-dir': first.values['report-dir'] ?? join(first.project.reportsDir, 'watch') };
  let plan: EvalPlan = { ...first, values };
  let resources: EvalResources = openResources(plan);
  let stop: (code: number) => void = () => {};
  const stopped = new Promise<number>((resolve) => {
    stop = resolve;
  });
  let running: Promise<void> = Promise.resolve();

  const pass = async (paths: readonly string[] | 'start') => {
    let scope: ReturnType<typeof affected> = 'all';
    if (paths !== 'start') {
      scope = affected(paths, plan.project, plan);
      process.stdout.write(`\n── ${new Date().toLocaleTimeString()} changed: ${shown(paths)}\n`);
    }
    try {
      if (scope === 'all' && paths !== 'start') {
        // The config, the prompt or a server changed: read the project again and start fresh servers.
        const next = planEval(values, first.env);
        await closeResources(resources);
        plan = next;
        resources = openResources(plan);
      }
      const selection = selectScenarios(plan);
      const chosen =
        scope === 'all'
          ? selection
          : {
              scenarios: selection.scenarios.filter((s) => scope.files.has(s.file) || scope.ids.has(s.scenario.id)),
              invalid: selection.invalid.filter((bad) => scope.files.has(bad.file) || scope.ids.has(bad.id)),
            };
      if (chosen.scenarios.length + chosen.invalid.length === 0) process.stdout.write('no selected scenario uses what changed\n');
      else if ((await runPass(resources, chosen.scenarios, chosen.invalid, interrupts)) === EXIT.interrupted) return stop(EXIT.interrupted);
    } catch (error) {
      // A broken config or folder is reported and watched until it is fixed.
      process.stderr.write(`helpdesk: ${(error as Error).message}\n`);
    }
    process.stdout.write(`\nwatching for changes (Ctrl+C to stop)\n`);
    process.send?.({ type: 'idle' } satisfies FromChild);
  };

  const onMessage = (message: ToChild) => {
    if (message.type === 'stop') stop(EXIT.ok);
    else running = running.then(() => pass(message.paths));
  };
  // Ctrl+C (which only the watching process sends: this one has a process group of its own)
  // cancels a pass in flight, which then writes its partial report and stops; between passes, or
  // a second time, it stops at once.
  const interrupts = evalInterrupts(() => stop(EXIT.interrupted));
  process.on('message', onMessage);
  // The watcher is gone (killed, or it crashed): nobody reads this process's output any more, so it
  // ends at once, the pass in flight with it; the exit hook stops its servers.
  let closing = false;
  process.on('disconnect', () => {
    if (!closing) process.exit(EXIT.interrupted);
  });
  running = pass('start');
  try {
    return await stopped;
  } finally {
    process.off('message', onMessage);
    interrupts.dispose();
    await running.catch(() => undefined);
    await closeResources(resources);
    closing = true;
    process.disconnect?.();
  }
}
