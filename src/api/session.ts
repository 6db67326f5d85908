import { ConfigError } from '../orchestrator/errors.ts';
import type { ModelApi } from '../orchestrator/responses-wire.ts';
import { resolve } from 'node:path';
import type { ConfigInput } from '../orchestrator/config.ts';
import { DEFAULT_MODEL } from '../orchestrator/constants.ts';
import { checkApiKey } from '../orchestrator/openai-model.ts';
import { serverEnvironment } from '../orchestrator/server-env.ts';
import type { LiveEndpoint } from '../harness/run/model-setup.ts';
import { PoolCache } from '../harness/run/pools.ts';
import { openProject, type Project } from '../harness/suite/project.ts';
import { ReplayHub } from '../harness/cassettes/replay-hub.ts';
import { runOptions, type RunOptions } from '../harness/run/execute.ts';
import { asksModel, modeOf, servesCassettes, type RunMode } from '../harness/run/scenario-run.ts';
import { runScenario } from '../harness/suite/run-scenario.ts';
import { type ScenarioResult } from '../harness/results/scenario-result.ts';
import type { LoadedScenario } from '../harness/scenario/scenario.ts';
import { loadSuite, selectCases, type ScenarioFilter, type Suite } from '../harness/scenario/load-suite.ts';
import { crashed } from '../harness/results/scenario-result.ts';
import { casesOf, type ScenarioInput } from './define.ts';

/** An OpenAI-compatible endpoint for `record` and `live` runs; each field defaults to its OPENAI_* variable. */
export interface ModelEndpoint {
  /** OPENAI_API_KEY by default. Never written to a recording, a report or a server's environment. */
  readonly apiKey?: string;
  /** OPENAI_BASE_URL by default (OpenAI's own API when unset). */
  readonly baseURL?: string;
  /** OPENAI_MODEL by default, else gpt-4o-mini. */
  readonly model?: string;
  /** Per-attempt timeout of a model request, in milliseconds. */
  readonly timeoutMs?: number;
  /** Retries of a failed model request (the client's default is 2). */
  readonly maxRetries?: number;
  /** Chat completions (default: the config's `api`, else "chat") or the Responses API. */
  readonly api?: ModelApi;
}

/** Which suite, which servers and which model: what the API and the vitest entry open. */
export interface SuiteOptions {
  /** Where helpdesk.config.json is looked for and relative paths start; default `process.cwd()`. */
  readonly cwd?: string;
  /** A config file (relative to `cwd`) or a config value (see defineConfig); default helpdesk.config.json in `cwd` if any. */
  readonly config?: string | ConfigInput;
  /** The scenario folder, or scenarios declared in code (defineScenario); default the project's folder. */
  readonly scenarios?: string | readonly ScenarioInput[];
  /** The cassette folder; default the project's. */
  readonly recordings?: string;
  /** Which scenarios run (IDs, tags, files); default all. */
  readonly filter?: ScenarioFilter;
  /** How the model's turns are produced; default 'replay'. */
  readonly mode?: RunMode;
  /** The model of a `record` or `live` run. */
  readonly model?: ModelEndpoint;
  /** Where OPENAI_*, ${NAME} in the config and the servers' allowlisted variables come from; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Stops starting scenarios and cancels those in flight. */
  readonly signal?: AbortSignal;
}

function liveEndpoint(
  model: ModelEndpoint | undefined,
  env: Readonly<Record<string, string | undefined>>,
  api: ModelApi | undefined,
): LiveEndpoint {
  const baseURL = model?.baseURL ?? (env.OPENAI_BASE_URL || undefined);
  return {
    apiKey: checkApiKey(model?.apiKey ?? env.OPENAI_API_KEY, baseURL),
    baseURL,
    model: model?.model ?? (env.OPENAI_MODEL || DEFAULT_MODEL),
    timeoutMs: model?.timeoutMs,
    maxRetries: model?.maxRetries,
    api: model?.api ?? api,
  };
}

/**
 * A suite opened for running: its project, its scenarios, server pools started on demand and (in
 * replay) the replay hub. Close it (or `await using` it) to stop every server it started.
 */
export class SuiteSession implements AsyncDisposable {
  readonly cwd: string;
  readonly mode: RunMode;
  readonly project: Project;
  readonly suite: Suite;
  /** The scenarios were declared in code (worker threads, which load files, cannot run them). */
  readonly inCode: boolean;
  readonly serverEnv: Record<string, string>;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly #live: LiveEndpoint | undefined;
  readonly #recordingsDir: string;
  readonly #api: ModelApi | undefined;
  readonly #signal: AbortSignal | undefined;
  #run: RunOptions | undefined;

  /** Reads the config and the suite (errors name the file and field); no server starts until a scenario runs. */
  constructor(options: SuiteOptions = {}) {
    this.cwd = resolve(options.cwd ?? process.cwd());
    this.env = options.env ?? process.env;
    this.mode = options.mode ?? 'replay';
    this.project = openProject(options.config, this.env as NodeJS.ProcessEnv, this.cwd);
    this.inCode = Array.isArray(options.scenarios);
    this.suite = this.inCode
      ? selectCases(casesOf(options.scenarios as readonly ScenarioInput[], this.cwd), options.filter)
      : loadSuite(
          typeof options.scenarios === 'string' ? resolve(this.cwd, options.scenarios) : this.project.scenariosDir,
          options.filter ?? {},
          this.cwd,
        );
    this.serverEnv = serverEnvironment(this.env);
    const needsModel = asksModel(this.mode);
    this.#live = needsModel ? liveEndpoint(options.model, this.env, this.project.api) : undefined;
    this.#recordingsDir = options.recordings ? resolve(this.cwd, options.recordings) : this.project.recordingsDir;
    this.#signal = options.signal;
    this.#api = options.model?.api ?? this.project.api;
  }

  /** The runner's options; the first use opens the replay hub (the servers start with the first scenario of each pool). */
  get run(): RunOptions {
    if (this.#run) return this.#run;
    const hub = servesCassettes(this.mode) ? new ReplayHub() : undefined;
    hub?.open();
    this.#run = runOptions(
      {
        mode: this.mode,
        recordingsDir: this.#recordingsDir,
        promptTemplate: this.project.promptTemplate,
        modelSettings: this.project.modelSettings,
        api: this.#api,
      },
      {
        pools: new PoolCache(this.project.root, this.serverEnv, this.env, this.project.servers),
        hub,
        live: this.#live,
        signal: this.#signal,
      },
    );
    return this.#run;
  }

  /** The case with this ID (a scenario's, or `<scenario>.<variation>`); throws naming the IDs there are. */
  case(id: string): LoadedScenario {
    const found = this.suite.scenarios.find((c) => c.scenario.id === id);
    if (found) return found;
    const ids = this.suite.scenarios.map((c) => c.scenario.id);
    throw new ConfigError(
      `no scenario "${id}" in the suite (${ids.length === 0 ? 'it has none' : `it has ${ids.slice(0, 10).join(', ')}${ids.length > 10 ? ', …' : ''}`})`,
    );
  }

  /** Runs one case and grades it; a failure of the harness itself is a failed result with its error, never a throw. */
  async runCase(loaded: LoadedScenario): Promise<ScenarioResult> {
    return runScenario(loaded, this.run).catch((error: unknown) => crashed(loaded, modeOf(this.run.mode), error));
  }

  /** Stops the servers and the replay hub. */
  async close(): Promise<void> {
    const run = this.#run;
    this.#run = undefined;
    run?.hub?.close();
    await run?.pools.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
