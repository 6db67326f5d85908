import { spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../servers.ts';
import { serveAll } from '../support/serve-all.ts';
import { childEnv } from '../support/child-env.ts';

// The official MCP conformance suite (server mode, pinned as a dev dependency) against each of the
// five servers over Streamable HTTP, served by one `servers/all` process on loopback. Scenarios
// that need the suite's own reference fixtures are listed, with the reason, in expected-failures.yaml.

const SUITE = join(ROOT, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');
const BASELINE = join(ROOT, 'test', 'e2e', 'mcp-conformance-expected-failures.yaml');
const APPLICABLE = [
  'server-initialize',
  'logging-set-level',
  'ping',
  'completion-complete',
  'tools-list',
  'tools-call-simple-text',
  'tools-call-error',
  'server-sse-multiple-streams',
  'resources-list',
  'prompts-list',
  'dns-rebinding-protection',
];

let child: ChildProcess;
let base: string;

beforeAll(async () => {
  ({ base, child } = await serveAll());
});

afterAll(() => {
  child.kill('SIGTERM');
});

describe('the MCP conformance suite, server mode', () => {
  it.each(['tickets', 'customers', 'billing', 'kb', 'assets'])(
    'passes every applicable scenario against the %s server',
    (server) => {
      const run = spawnSync(process.execPath, [SUITE, 'server', '--url', `${base}/${server}/mcp`, '--expected-failures', BASELINE], {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 120_000,
        env: childEnv({ NO_COLOR: '1' }),
      });
      const output = `${run.stdout}${run.stderr}`;
      expect(run.status, output.slice(-3000)).toBe(0);
      expect(output).toContain('Baseline check passed: all failures are expected.');
      for (const scenario of APPLICABLE) expect(output, scenario).toMatch(new RegExp(`✓ ${scenario}: \\d+ passed, 0 failed`));
    },
    150_000,
  );
});
