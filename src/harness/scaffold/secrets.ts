import type { ServersConfig } from '../../orchestrator/config.ts';

/** Names that hold credentials: an env variable or header so named is not written into a committed file. */
const SECRET_NAME = /token|secret|passw|api[-_]?key|auth|credential|cookie|session|private|(^|[-_])pat($|[-_])|(^|[-_])key$/i;

const isPlaceholder = (value: string) => /\$\{[A-Za-z_][A-Za-z0-9_]*\}/.test(value);

/** An environment variable name from parts (`docs`, `Authorization` → `DOCS_AUTHORIZATION`). */
function variableName(...parts: string[]): string {
  const name = parts
    .join('_')
    .toUpperCase()
    .replace(/[^A-Z0-9_]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_|_$/g, '');
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

/**
 * The servers as a config file may keep them: every env value and header whose name says it is a
 * credential replaced by "${NAME}" (the env variable's own name where that is unambiguous, else
 * the server's name before it), with the values by name, to keep in an uncommitted .env. The
 * servers' other settings and values already written as "${NAME}" are left as they are.
 */
export function withPlaceholders(servers: ServersConfig): { servers: ServersConfig; secrets: Record<string, string> } {
  const secrets: Record<string, string> = {};
  const take = (preferred: string, fallback: string, value: string): string => {
    const name = secrets[preferred] === undefined || secrets[preferred] === value ? preferred : fallback;
    secrets[name] = value;
    return `\${${name}}`;
  };
  const kept: ServersConfig = {};
  for (const [server, config] of Object.entries(servers)) {
    const env = Object.fromEntries(
      Object.entries(config.env).map(([key, value]) => [
        key,
        SECRET_NAME.test(key) && !isPlaceholder(value) ? take(variableName(key), variableName(server, key), value) : value,
      ]),
    );
    const headers =
      config.headers &&
      Object.fromEntries(
        Object.entries(config.headers).map(([key, value]) => [
          key,
          SECRET_NAME.test(key) && !isPlaceholder(value)
            ? take(variableName(server, key), variableName(server, key, 'header'), value)
            : value,
        ]),
      );
    kept[server] = { ...config, env, ...(headers ? { headers } : {}) };
  }
  return { servers: kept, secrets };
}

/** Lines for a .env file: the secrets it does not hold yet, quoted when they need it. */
export function dotEnvLines(secrets: Readonly<Record<string, string>>, existing: string): string {
  const present = new Set(
    existing
      .split('\n')
      .map((line) => /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(line)?.[1])
      .filter(Boolean),
  );
  return Object.entries(secrets)
    .filter(([name]) => !present.has(name))
    .map(
      ([name, value]) => `${name}=${/^[\w@%+=:,./-]*$/.test(value) ? value : value.includes("'") ? JSON.stringify(value) : `'${value}'`}\n`,
    )
    .join('');
}

/**
 * The name a credential takes among a GitHub repository's Actions secrets: its own, except that GitHub reserves the
 * GITHUB_ prefix (secrets.GITHUB_TOKEN is the workflow's own token, and no secret may be named GITHUB_…), so GITHUB_X is GH_X.
 */
export function actionsSecretName(name: string): string {
  return name.replace(/^GITHUB_/, 'GH_');
}
