import { describe, expect, it } from 'vitest';
import type { ServersConfig } from '../../orchestrator/config.ts';
import { actionsSecretName, dotEnvLines, withPlaceholders } from './secrets.ts';

const server = (extra: Partial<ServersConfig[string]>): ServersConfig[string] => ({
  command: 'npx',
  args: [],
  env: {},
  disabled: false,
  ...extra,
});

describe('withPlaceholders', () => {
  it('names credentials as ${NAME} and keeps the other values, the same secret once', () => {
    const { servers, secrets } = withPlaceholders({
      github: server({ env: { GITHUB_PERSONAL_ACCESS_TOKEN: 'ghp_1', GITHUB_HOST: 'github.example.com', API_KEY: 'k1' } }),
      other: server({ env: { API_KEY: 'k2', SHARED: 'x' } }),
      again: server({ env: { GITHUB_PERSONAL_ACCESS_TOKEN: 'ghp_1' } }),
      docs: {
        url: 'https://docs.example.com/mcp',
        args: [],
        env: {},
        disabled: false,
        headers: { Authorization: 'Bearer abc', 'X-Api-Key': '${ALREADY}', Accept: 'application/json' },
      },
    });
    expect(servers.github?.env).toEqual({
      GITHUB_PERSONAL_ACCESS_TOKEN: '${GITHUB_PERSONAL_ACCESS_TOKEN}',
      GITHUB_HOST: 'github.example.com',
      API_KEY: '${API_KEY}',
    });
    expect(servers.other?.env).toEqual({ API_KEY: '${OTHER_API_KEY}', SHARED: 'x' });
    expect(servers.again?.env).toEqual({ GITHUB_PERSONAL_ACCESS_TOKEN: '${GITHUB_PERSONAL_ACCESS_TOKEN}' });
    expect(servers.docs?.headers).toEqual({
      Authorization: '${DOCS_AUTHORIZATION}',
      'X-Api-Key': '${ALREADY}',
      Accept: 'application/json',
    });
    expect(secrets).toEqual({
      GITHUB_PERSONAL_ACCESS_TOKEN: 'ghp_1',
      API_KEY: 'k1',
      OTHER_API_KEY: 'k2',
      DOCS_AUTHORIZATION: 'Bearer abc',
    });
  });
});

describe('dotEnvLines', () => {
  it('adds only the names the file lacks, quoting values that need it', () => {
    expect(dotEnvLines({ A_TOKEN: 'plain-1', B_TOKEN: 'Bearer abc', C_TOKEN: "it's", KEPT: 'new' }, 'KEPT=old\n# note\n')).toBe(
      "A_TOKEN=plain-1\nB_TOKEN='Bearer abc'\nC_TOKEN=\"it's\"\n",
    );
  });
});

describe('actionsSecretName', () => {
  it("keeps a credential's name as its Actions secret, except GITHUB_, which GitHub reserves, as GH_", () => {
    expect(actionsSecretName('WIKI_API_TOKEN')).toBe('WIKI_API_TOKEN');
    expect(actionsSecretName('GITHUB_PERSONAL_ACCESS_TOKEN')).toBe('GH_PERSONAL_ACCESS_TOKEN');
    expect(actionsSecretName('GITHUB_TOKEN')).toBe('GH_TOKEN');
    expect(actionsSecretName('MY_GITHUB_TOKEN')).toBe('MY_GITHUB_TOKEN');
  });
});
