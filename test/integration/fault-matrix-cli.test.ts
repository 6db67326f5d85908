import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../servers.ts';
import { type HelpdeskRun, runHelpdesk } from '../support/run-helpdesk.ts';

// The bounded fault matrix of `npm test`: one multi-server scenario × its five tools × every
// fault kind, through the CLI; the whole suite's matrix is `npm run eval -- --fault-matrix`. The
// matrix against a broken orchestrator, in-process, is test/harness/fault-matrix-catches.test.ts.

let work: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'fault-matrix-'));
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

function helpdesk(args: string[], limitMs = 150_000): Promise<HelpdeskRun> {
  return runHelpdesk(['eval', ...args], { cwd: ROOT, limitMs });
}

describe('helpdesk eval --fault-matrix', () => {
  it('runs every fault kind on each tool a scenario calls, keeps every invariant, and reports the matrix in all four reports', async () => {
    const dir = join(work, 'report');
    const run = await helpdesk(['--fault-matrix', '--id', 'multi-server-innovate-overview,err-server-unavailable', '--report-dir', dir]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('fault matrix: 40 of 40 faulted runs kept every invariant; 1 scenario(s) left out');
    expect(run.stdout).toContain('- err-server-unavailable left out: injects faults of its own');

    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    const cells = results.resilience.cells as {
      tool: string;
      kind: string;
      pass: boolean;
      checks: { name: string; pass: boolean; reason: string }[];
    }[];
    expect(new Set(cells.map((c) => c.tool))).toEqual(
      new Set(['lookup_customer', 'search_tickets', 'calculate_outstanding_balance', 'lookup_asset', 'get_software_licenses']),
    );
    expect(new Set(cells.map((c) => c.kind)).size).toBe(8);
    expect(
      cells.every(
        (c) =>
          c.pass && c.checks.map((k) => k.name).join() === 'resilience:ended,resilience:envelope,resilience:others,resilience:processes',
      ),
    ).toBe(true);
    const crash = cells.find((c) => c.tool === 'search_tickets' && c.kind === 'crash');
    expect(crash?.checks[1]?.reason).toBe('the model got "Server tickets stopped during the call to search_tickets" (retryable)');
    const hang = cells.find((c) => c.tool === 'lookup_asset' && c.kind === 'hang');
    expect(hang?.checks[1]?.reason).toBe('the model got "Tool lookup_asset timed out" (retryable)');
    expect(hang?.checks[2]?.reason).toMatch(/^\d+ call\(s\) to [a-z, ]+ answered; all servers up$/);
    const declared = results.scenarios.find((x: { id: string }) => x.id === 'err-server-unavailable').trials[0].faults;
    expect(declared).toEqual({
      active: [{ kind: 'crash', server: 'billing', tool: 'check_payment_status' }],
      injections: [1, 2].map((call) => ({ fault: 1, kind: 'crash', server: 'billing', tool: 'check_payment_status', call })),
    });
    expect(results.gates).toContainEqual({ name: 'resilience', pass: true, reason: 'all 40 faulted runs kept every invariant' });

    const junit = readFileSync(join(dir, 'junit.xml'), 'utf8');
    expect(junit).toContain('<testsuites name="mcp-helpdesk eval" tests="42" failures="0"');
    expect(junit).toContain('<testsuite name="mcp-helpdesk eval · fault matrix" tests="40" failures="0"');
    expect(junit).toContain('<testcase classname="fault-matrix.multi-server-innovate-overview" name="lookup_asset × hang"');
    const summary = readFileSync(join(dir, 'summary.md'), 'utf8');
    expect(summary).toContain('## Resilience (fault matrix)');
    expect(summary).toContain('| multi-server-innovate-overview | ✓ 5 | ✓ 5 | ✓ 5 | ✓ 5 | ✓ 5 | ✓ 5 | ✓ 5 | ✓ 5 |');
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('<table class="resilience">');
  }, 180_000);

  it('refuses unknown fault kinds and modes that would write cassettes, with exit code 2', async () => {
    const kinds = await helpdesk(['--fault-matrix', '--fault-kinds', 'crash,explode', '--id', 'err-ticket-not-found']);
    expect(kinds.code).toBe(2);
    expect(kinds.stderr).toContain(
      '--fault-kinds: unknown kind(s) "explode"; the kinds are crash, hang, slow, garbage, protocol_error, tool_error, oversized, disconnect',
    );
    const record = await helpdesk(['--fault-matrix', '--author', '--id', 'err-ticket-not-found']);
    expect(record.code).toBe(2);
    expect(record.stderr).toContain('--fault-matrix runs in replay mode (the default) or with --live; it never writes cassettes');
  });
});
