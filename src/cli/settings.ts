import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { clockFrom, formatDay, type Clock } from '../shared/clock.ts';
import { parseLogLevel, type LogLevel } from '../shared/log.ts';
import { DEFAULT_MODEL, HTTP_SERVER_ENV } from '../orchestrator/constants.ts';
import { serverEnvironment } from '../orchestrator/server-env.ts';
import { ConfigError } from '../orchestrator/errors.ts';
import { ModelApiSchema, type ModelApi } from '../orchestrator/responses-wire.ts';
import { wholeNumber } from './numbers.ts';

/** Everything the CLI takes from the environment, read in one place. */
export interface Settings {
  readonly apiKey: string | undefined;
  readonly baseURL: string | undefined;
  readonly model: string;
  /** The agent model's wire format: --api, else HELPDESK_MODEL_API, else the config's `api`, else chat completions. */
  readonly api: ModelApi;
  /** HELPDESK_NOW, when the clock is pinned. */
  readonly now: string | undefined;
  readonly clock: Clock;
  readonly logLevel: LogLevel;
  /** Per-attempt model timeout and retry count (HELPDESK_MODEL_TIMEOUT_MS, HELPDESK_MODEL_RETRIES). */
  readonly modelTimeoutMs: number | undefined;
  readonly modelRetries: number | undefined;
  /**
   * The judge of model-graded checks (HELPDESK_JUDGE_MODEL, HELPDESK_JUDGE_BASE_URL,
   * HELPDESK_JUDGE_API_KEY); each defaults to the agent's setting.
   */
  readonly judge: { readonly apiKey: string | undefined; readonly baseURL: string | undefined; readonly model: string | undefined };
  /** The environment handed to server processes: an allowlist, never the API key. */
  readonly serverEnv: Record<string, string>;
  /** The HELPDESK_HTTP_* settings `serve` adds to that for its HTTP servers (the set ones). */
  readonly httpServerEnv: Record<string, string>;
}

/**
 * Adds the variables of `.env` in `dir` to `env` without overriding what is already set
 * (the shell wins), as dotenv does.
 */
export function loadDotEnv(env: NodeJS.ProcessEnv, dir: string = process.cwd()): void {
  const path = resolve(dir, '.env');
  if (!existsSync(path)) return;
  const parsed = parseEnv(readFileSync(path, 'utf8'));
  for (const [key, value] of Object.entries(parsed)) {
    if (env[key] === undefined && value !== undefined) env[key] = value;
  }
}

/**
 * Reads the settings; `nowFlag` (from --now) wins over HELPDESK_NOW, `modelFlag` (--model) over
 * OPENAI_MODEL, `apiFlag` (--api) over HELPDESK_MODEL_API over `configApi` (the config's `api`).
 */
export function readSettings(
  env: NodeJS.ProcessEnv,
  nowFlag?: string,
  modelFlag?: string,
  apiFlag?: string,
  configApi?: ModelApi,
): Settings {
  const now = nowFlag ?? (env.HELPDESK_NOW || undefined);
  let clock: Clock;
  try {
    clock = clockFrom(now);
  } catch (error) {
    throw new ConfigError(`${(error as Error).message} (from ${nowFlag ? '--now' : 'HELPDESK_NOW'})`, { cause: error });
  }
  const serverEnv = serverEnvironment(env, now);
  return {
    apiKey: env.OPENAI_API_KEY,
    baseURL: env.OPENAI_BASE_URL || undefined,
    model: modelFlag || env.OPENAI_MODEL || DEFAULT_MODEL,
    api: modelApi(apiFlag, env.HELPDESK_MODEL_API || undefined, configApi),
    now,
    clock,
    logLevel: parseLogLevel(env.HELPDESK_LOG_LEVEL, 'warn'),
    modelTimeoutMs: wholeNumber(env.HELPDESK_MODEL_TIMEOUT_MS || undefined, 'HELPDESK_MODEL_TIMEOUT_MS', 1),
    modelRetries: wholeNumber(env.HELPDESK_MODEL_RETRIES || undefined, 'HELPDESK_MODEL_RETRIES', 0),
    judge: {
      apiKey: env.HELPDESK_JUDGE_API_KEY || undefined,
      baseURL: env.HELPDESK_JUDGE_BASE_URL || undefined,
      model: env.HELPDESK_JUDGE_MODEL || undefined,
    },
    serverEnv,
    httpServerEnv: Object.fromEntries(HTTP_SERVER_ENV.flatMap((name) => (env[name] ? [[name, env[name]]] : []))),
  };
}

/** The wire format chosen by the flag, the environment or the config, checked. */
export function modelApi(flag: string | undefined, fromEnv: string | undefined, configApi: ModelApi | undefined): ModelApi {
  const chosen = flag ?? fromEnv ?? configApi ?? 'chat';
  const parsed = ModelApiSchema.safeParse(chosen);
  if (!parsed.success) {
    const where = flag !== undefined ? '--api' : fromEnv !== undefined ? 'HELPDESK_MODEL_API' : "the config's api";
    throw new ConfigError(`${where} must be "chat" (chat completions) or "responses" (the Responses API), not "${chosen}"`);
  }
  return parsed.data;
}

/** Today's date as the system prompt states it. */
export function today(settings: Settings): string {
  return formatDay(settings.clock.now());
}
