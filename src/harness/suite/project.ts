import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { builtinServers, PROJECT_ROOT, writableRoot } from '../../orchestrator/builtin-servers.ts';
import {
  configFrom,
  readConfigFile,
  type ConfigFile,
  type ConfigInput,
  type ModelEntry,
  type ServersConfig,
} from '../../orchestrator/config.ts';
import type { ModelApi } from '../../orchestrator/responses-wire.ts';
import { ConfigError } from '../../orchestrator/errors.ts';
import { priceTable, type PriceTable } from '../results/prices.ts';
import type { ModelSettings } from '../../orchestrator/model-client.ts';
import type { SaveTarget } from './save-conversation.ts';

/** The config file a command reads from the folder it runs in when no --config is given. */
export const CONFIG_FILE = 'helpdesk.config.json';

/**
 * What the commands work on: this repository's five servers and suite, or a project of someone
 * else's servers described by a config file (`helpdesk init` writes one).
 */
export interface Project {
  /** The folder scenario files and server paths are shown relative to: the config file's, else this repository. */
  readonly root: string;
  /** The config file, when there is one. */
  readonly configPath: string | undefined;
  readonly servers: ServersConfig;
  /** The system prompt file's text ("{{today}}" marks the date), or undefined for the built-in prompt. */
  readonly promptTemplate: string | undefined;
  /** The system prompt file, when the config names one. */
  readonly promptPath: string | undefined;
  readonly scenariosDir: string;
  readonly recordingsDir: string;
  readonly reportsDir: string;
  /** The prices of the cost estimates: the built-in table, with the config's `prices` over it. */
  readonly prices: PriceTable;
  /** The config's sampling settings for every model request (a scenario's `model` overrides each). */
  readonly modelSettings: ModelSettings | undefined;
  /** The config's wire format for the agent model (`api`), when set. */
  readonly api: ModelApi | undefined;
  /** The config's `models` to compare, when it lists any. */
  readonly models: readonly ModelEntry[] | undefined;
}

/**
 * The project of a command: `--config <file>` when given, else helpdesk.config.json in `cwd`
 * when it exists, else the built-in servers and this repository's folders. The API may give the
 * config as a value instead of a file: its relative paths start at `cwd`.
 */
export function openProject(config: string | ConfigInput | undefined, env: NodeJS.ProcessEnv, cwd: string = process.cwd()): Project {
  const builtins = builtinServers(process.execPath);
  if (config !== undefined && typeof config !== 'string')
    return fromConfig(configFrom(config, { name: 'given to the API', dir: cwd }, builtins, env));
  const configPath = config !== undefined ? resolve(cwd, config) : existsSync(join(cwd, CONFIG_FILE)) ? join(cwd, CONFIG_FILE) : undefined;
  if (configPath === undefined) {
    return {
      root: PROJECT_ROOT,
      configPath,
      servers: builtins,
      promptTemplate: undefined,
      promptPath: undefined,
      scenariosDir: join(PROJECT_ROOT, 'scenarios'),
      recordingsDir: join(PROJECT_ROOT, 'recordings'),
      reportsDir: join(writableRoot(cwd), 'reports'),
      prices: priceTable(undefined),
      modelSettings: undefined,
      api: undefined,
      models: undefined,
    };
  }
  return fromConfig(readConfigFile(configPath, builtins, env));
}

function fromConfig(file: ConfigFile): Project {
  const where = file.path ?? 'the config given to the API';
  return {
    root: file.dir,
    configPath: file.path,
    servers: file.servers,
    promptPath: file.systemPrompt,
    promptTemplate: file.systemPrompt === undefined ? undefined : readPrompt(file.systemPrompt, where),
    scenariosDir: file.scenarios ?? join(file.dir, 'scenarios'),
    recordingsDir: file.recordings ?? join(file.dir, 'recordings'),
    reportsDir: file.reports ?? join(file.dir, 'reports'),
    prices: priceTable(file.prices),
    modelSettings: file.model,
    api: file.api,
    models: file.models,
  };
}

/** Where a scenario of the project is saved and proved green: its folders, servers and prompt. */
export function saveTarget(project: Project, serverEnv: Readonly<Record<string, string>>): SaveTarget {
  return {
    scenariosDir: project.scenariosDir,
    recordingsDir: project.recordingsDir,
    root: project.root,
    servers: project.servers,
    serverEnv,
    promptTemplate: project.promptTemplate,
    modelSettings: project.modelSettings,
  };
}

function readPrompt(path: string, configPath: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`Cannot read the system prompt ${path} (systemPrompt in ${configPath}): ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (text.trim() === '') throw new ConfigError(`The system prompt ${path} (systemPrompt in ${configPath}) is empty`);
  return text.trimEnd();
}
