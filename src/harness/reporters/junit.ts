import type { RunRecord, ScenarioRecord } from '../results/records.ts';
import { judgeLines } from './answer-grades.ts';
import { scenarioFailureText, formatInterval, modelOf, passAt, passHat, verdict } from './report-format.ts';
import { displayPath } from '../results/records.ts';

/** The JUnit suite name CI dashboards group the scenarios under. */
export const JUNIT_SUITE = 'mcp-helpdesk eval';

// Characters XML 1.0 does not allow at all (not even as references), lone surrogates included.
const INVALID_XML =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  // In attributes, parsers fold raw newlines and tabs into spaces; references keep them.
  '\n': '&#10;',
  '\r': '&#13;',
  '\t': '&#9;',
};

/** Escapes text for an XML attribute value and drops characters XML 1.0 cannot carry. */
export function xmlAttribute(text: string): string {
  return text.replace(INVALID_XML, '').replace(/[&<>"'\n\r\t]/g, (c) => XML_ESCAPES[c] ?? c);
}

/** Escapes text for XML element content (newlines kept as they are). */
export function xmlText(text: string): string {
  return text
    .replace(INVALID_XML, '')
    .replace(/\r\n?/g, '\n')
    .replace(/[&<>"']/g, (c) => XML_ESCAPES[c] ?? c);
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

function attributes(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([key, value]) => ` ${key}="${xmlAttribute(String(value))}"`)
    .join('');
}

function numberOrNa(value: number | null): string {
  return value === null || !Number.isFinite(value) ? 'n/a' : String(Number(value.toFixed(4)));
}

function properties(scenario: ScenarioRecord, k: number): string {
  const { summary } = scenario;
  const values: [string, string | number][] = [
    ['trials', scenario.trials.length],
    ['n', summary.n],
    ['c', summary.c],
    ['infra', summary.infra],
    [`pass_hat_k`, numberOrNa(passHat(scenario, k))],
    [`pass_at_k`, numberOrNa(passAt(scenario, k))],
    ['k', k],
    ['class', summary.class],
    ['interval95', formatInterval(summary.interval95)],
    ...(summary.score_mean === null ? [] : [['score', numberOrNa(summary.score_mean)] as [string, string]]),
    ...(scenario.variation
      ? [['variation_of', scenario.variation.scenario] as [string, string], ['phrasing', scenario.variation.text] as [string, string]]
      : []),
    ...driftKinds(scenario).map((kind) => ['drift', kind] as [string, string]),
  ];
  const lines = values.map(([name, value]) => `        <property${attributes({ name, value })}/>`);
  return `      <properties>\n${lines.join('\n')}\n      </properties>`;
}

/** The kinds of change (drift triage) behind a scenario's replay failures. */
function driftKinds(scenario: ScenarioRecord): string[] {
  return [...new Set(scenario.trials.flatMap((t) => t.replay.flatMap((r) => (r.kind ? [r.kind] : []))))];
}

function testcase(scenario: ScenarioRecord, k: number, root: string | undefined): string {
  const time = scenario.trials.reduce((sum, t) => sum + t.duration_ms, 0);
  // Variations group under their scenario (the intent) in CI test tabs.
  const classname = scenario.variation ? `scenarios.${scenario.variation.scenario}` : 'scenarios';
  const head = `    <testcase${attributes({ classname, name: scenario.id, file: displayPath(scenario.file, root), time: seconds(time) })}>`;
  const body = [properties(scenario, k)];
  const outcome = verdict(scenario, k);
  const details = xmlText(scenarioFailureText(scenario));
  if (outcome.status === 'failed' || outcome.status === 'error') {
    const tag = outcome.status === 'failed' ? 'failure' : 'error';
    body.push(`      <${tag}${attributes({ type: outcome.type ?? tag, message: outcome.message ?? '' })}>${details}</${tag}>`);
  } else if (outcome.status === 'skipped') {
    body.push(`      <skipped${attributes({ message: outcome.message ?? '' })}/>`);
  }
  const judged = judgeLines([scenario]);
  if (judged.length > 0) {
    body.push(
      `      <system-out>${xmlText(judged.map((l) => `judge ${l.name} ${l.pass ? 'pass' : 'fail'}: ${l.reason}`).join('\n'))}</system-out>`,
    );
  }
  return [head, ...body, '    </testcase>'].join('\n');
}

/** The fault matrix as a second suite: one testcase per scenario × tool × fault kind. */
function resilienceSuite(record: RunRecord): string[] {
  const matrix = record.resilience;
  if (!matrix) return [];
  const counts = { tests: matrix.cells.length, failures: matrix.cells.filter((c) => !c.pass).length, errors: 0, skipped: 0 };
  const cases = matrix.cells.map((cell) => {
    const head = `    <testcase${attributes({ classname: `fault-matrix.${cell.scenario}`, name: `${cell.tool} × ${cell.kind}`, time: seconds(cell.duration_ms) })}`;
    const failure = cell.checks.find((c) => !c.pass);
    if (!failure) return `${head}/>`;
    const details = cell.checks.map((c) => `${c.pass ? '✓' : '✗'} ${c.name}: ${c.reason}`).join('\n');
    return [
      `${head}>`,
      `      <failure${attributes({ type: failure.name, message: failure.reason })}>${xmlText(details)}</failure>`,
      '    </testcase>',
    ].join('\n');
  });
  return [
    `  <testsuite${attributes({ name: `${JUNIT_SUITE} · fault matrix`, ...counts, timestamp: record.started_at })}>`,
    ...cases,
    '  </testsuite>',
  ];
}

/** Options for the JUnit report. */
export interface JunitOptions {
  /** Scenario files are shown relative to this folder (the repository root) when inside it. */
  readonly root?: string;
}

/**
 * junit.xml: one testcase per scenario. A failed scenario carries a failure whose type is its
 * reason code; a scenario whose every trial was an infrastructure error is an error; the trial
 * statistics are properties.
 */
export function junitXml(record: RunRecord, options: JunitOptions = {}): string {
  const outcomes = record.scenarios.map((s) => verdict(s, record.k).status);
  const counts = {
    tests: record.scenarios.length,
    failures: outcomes.filter((o) => o === 'failed').length,
    errors: outcomes.filter((o) => o === 'error').length,
    skipped: outcomes.filter((o) => o === 'skipped').length,
    time: seconds(record.duration_ms),
  };
  const cases = record.scenarios.map((s) => testcase(s, record.k, options.root));
  const matrix = record.resilience?.cells ?? [];
  const all = { ...counts, tests: counts.tests + matrix.length, failures: counts.failures + matrix.filter((c) => !c.pass).length };
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attributes({ name: JUNIT_SUITE, ...all })}>`,
    `  <testsuite${attributes({ name: JUNIT_SUITE, ...counts, timestamp: record.started_at })}>`,
    `    <properties>`,
    ...Object.entries({
      run_id: record.run_id,
      mode: record.mode,
      model: modelOf(record),
      trials: record.trials,
      k: record.k,
      price_table: record.price_table,
    }).map(([name, value]) => `      <property${attributes({ name, value })}/>`),
    `    </properties>`,
    ...cases,
    '  </testsuite>',
    ...resilienceSuite(record),
    '</testsuites>',
    '',
  ].join('\n');
}
