import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLE_ROOT, sampleRecord, sampleScenario, sampleTrial } from '../../../test/support/run-records.ts';
import { runRecord } from '../results/records.ts';
import { junitXml, xmlAttribute, xmlText } from './junit.ts';

const RUN = {
  runId: 'r',
  startedAt: '2025-10-05T12:00:00.000Z',
  durationMs: 10,
  mode: 'replay' as const,
  authored: false,
  model: 'gpt-4o-mini',
  shard: null,
};

const hasXmllint = spawnSync('xmllint', ['--version']).status === 0;
if (!hasXmllint)
  console.warn('junit.test.ts: well-formedness checks skipped because xmllint is not on PATH (apt-get install -y libxml2-utils)');

/** The element of a testcase, from its start tag to its end tag. */
function testcase(xml: string, name: string): string {
  const match = new RegExp(`<testcase classname="scenarios" name="${name}"[^>]*>[\\s\\S]*?</testcase>`).exec(xml);
  if (!match) throw new Error(`no testcase ${name} in:\n${xml}`);
  return match[0];
}

/** Runs xmllint on the XML; with an XPath, returns what it evaluates to. */
function xmllint(xml: string, xpath?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'junit-'));
  try {
    writeFileSync(join(dir, 'junit.xml'), xml);
    const out = execFileSync('xmllint', xpath ? ['--xpath', xpath, 'junit.xml'] : ['--noout', 'junit.xml'], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return out.replace(/\n$/, ''); // xmllint ends its answer with a newline
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('junitXml', () => {
  const xml = junitXml(sampleRecord(), { root: SAMPLE_ROOT });

  it('counts the scenarios, failures, infrastructure errors and time on the suite', () => {
    expect(xml).toContain('<testsuites name="mcp-helpdesk eval" tests="6" failures="3" errors="1" skipped="0" time="2.500">');
    expect(xml).toContain(
      '<testsuite name="mcp-helpdesk eval" tests="6" failures="3" errors="1" skipped="0" time="2.500" timestamp="2025-10-05T12:00:00.000Z">',
    );
    expect(xml.match(/<testcase /g)).toHaveLength(6);
  });

  it('names each testcase after its scenario with the scenario file relative to the root', () => {
    expect(testcase(xml, 'critical-tickets')).toMatch(
      /^<testcase classname="scenarios" name="critical-tickets" file="scenarios\/critical-tickets.json" time="0\.\d{3}">/,
    );
    expect(testcase(xml, 'critical-tickets')).not.toMatch(/<failure|<error/);
  });

  it('types a replay failure with its code and gives the reason as message and the diff as details', () => {
    const element = testcase(xml, 'changed-question');
    expect(element).toContain('<failure type="request_mismatch" message="request 1 differs from the recording">');
    expect(element).toContain(
      '>trials 1, 2, 3, 4:\n  [request_mismatch] request 1 differs from the recording\n    messages[1].content:\n        recorded: &quot;CUST-001&quot;',
    );
  });

  it('types a failed check with the check name when there was no replay failure', () => {
    expect(testcase(xml, 'wrong-tool')).toContain(
      '<failure type="tools" message="expected [search_tickets] (exact), got [get_ticket_details, search_tickets]">',
    );
  });

  it('types a scenario that passed some trials as flaky and says how many passed', () => {
    expect(testcase(xml, 'flaky-answer')).toContain(
      '<failure type="flaky" message="2 of 4 trials passed, pass^2 = 0.17 (every trial must pass); first failure: [answer] expected to contain &quot;TKT-1004&quot;, got &quot;TKT-1001 only.&quot;">',
    );
  });

  it('reports a scenario whose every trial was an infrastructure error as an error, not a failure', () => {
    const element = testcase(xml, 'servers-down');
    expect(element).toContain(
      '<error type="infra_error" message="every trial hit an infrastructure error: servers did not start: Server &quot;tickets&quot; failed to start">',
    );
    expect(element).not.toContain('<failure');
  });

  it("lists trials, n, c, pass_hat_k and pass_at_k for the run's k, class and interval95 as properties", () => {
    const element = testcase(xml, 'flaky-answer');
    for (const [name, value] of [
      ['trials', '4'],
      ['n', '4'],
      ['c', '2'],
      ['pass_hat_k', '0.1667'],
      ['pass_at_k', '0.8333'],
      ['k', '2'],
      ['class', 'flaky'],
      ['interval95', '[0.15, 0.85]'],
    ]) {
      expect(element).toContain(`<property name="${name}" value="${value}"/>`);
    }
    expect(testcase(xml, 'servers-down')).toContain('<property name="pass_hat_k" value="n/a"/>');
    expect(testcase(xml, 'servers-down')).toContain('<property name="class" value="no_data"/>');
  });

  it('marks a scenario without trials as skipped', () => {
    const record = runRecord({ ...RUN, trials: 1, k: 1 }, [sampleScenario('nothing-ran', [], 1)]);
    expect(junitXml(record)).toContain('<skipped message="no trials ran"/>');
    expect(junitXml(record)).toContain('skipped="1"');
  });

  it('escapes markup and quotes and drops characters XML 1.0 forbids', () => {
    expect(xmlAttribute(`a<b & "c" 'd'\u0000\u0008\u000B\uFFFE\nnext`)).toBe('a&lt;b &amp; &quot;c&quot; &apos;d&apos;&#10;next');
    expect(xmlText(']]> <script>\u0001\r\n\uD800x \u{1F600}')).toBe(']]&gt; &lt;script&gt;\nx \u{1F600}');
  });

  it.skipIf(!hasXmllint)('is well-formed XML that xmllint reads back, hostile text included', () => {
    expect(() => xmllint(xml)).not.toThrow();
    const hostile = 'evil <script>alert("x")</script> & ]]> \u0000\u0007 \uDC00 \'quoted\'\nsecond line';
    const record = runRecord({ ...RUN, trials: 1, k: 1 }, [
      sampleScenario(
        'hostile',
        [sampleTrial(1, [], { pass: false, reason: hostile, failures: [{ name: 'answer', pass: false, reason: hostile }] })],
        1,
      ),
    ]);
    const hostileXml = junitXml(record);
    expect(() => xmllint(hostileXml)).not.toThrow();
    expect(xmllint(hostileXml, 'string(//testcase/failure/@message)')).toBe(
      'evil <script>alert("x")</script> & ]]>   \'quoted\'\nsecond line',
    );
    expect(xmllint(hostileXml, 'string(//testcase/failure/@type)')).toBe('answer');
  });
});
