import { SERVER_ENV_ALLOWLIST } from './constants.ts';

/**
 * The environment handed to server processes: the allowlisted variables of `env` and nothing
 * else (never an API key), with the pinned clock when there is one.
 */
export function serverEnvironment(env: Readonly<Record<string, string | undefined>>, now?: string): Record<string, string> {
  const serverEnv: Record<string, string> = {};
  for (const key of SERVER_ENV_ALLOWLIST) {
    const value = env[key];
    if (value !== undefined) serverEnv[key] = value;
  }
  if (now) serverEnv.HELPDESK_NOW = now;
  return serverEnv;
}
