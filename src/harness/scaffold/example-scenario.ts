import { DEFAULT_BUDGETS } from '../grading/graders.ts';

/** The tool an example scenario exercises, and what one real call of it returned. */
export interface ExampleCall {
  /** The server that offers the tool. */
  readonly server: string;
  /** The tool's name as the model sees it. */
  readonly tool: string;
  readonly args: Record<string, unknown>;
  /** The question the scenario asks. */
  readonly question: string;
  /** The text the tool returned, when two calls in a row returned the same (else undefined). */
  readonly result: string | undefined;
  /** How long the servers took to start when init started them, in ms. */
  readonly startupMs?: number;
}

/**
 * A start-up budget for servers slower than the default allows (a package runner such as npx
 * takes a second before the server itself starts): three times what init measured, in whole
 * seconds, or undefined when the default budget is ample.
 */
export function startupBudget(measuredMs: number | undefined): number | undefined {
  if (measuredMs === undefined) return undefined;
  const budget = Math.ceil((3 * measuredMs) / 1000) * 1000;
  return budget > DEFAULT_BUDGETS.startup_ms ? budget : undefined;
}

/** The longest quote of the tool's result the scripted answer carries. */
const QUOTE_MAX = 160;

/** A scenario ID from the server and tool names. */
export function exampleId(call: Pick<ExampleCall, 'server' | 'tool'>): string {
  const id = `${call.server}-${call.tool}-example`
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-/, '');
  return id.slice(0, 80).replace(/-$/, '');
}

/** The question an example scenario asks when the user gives none. */
export function exampleQuestion(tool: string, args: Record<string, unknown>): string {
  const given = Object.entries(args).map(([key, value]) => `${key} ${JSON.stringify(value)}`);
  return `Please use ${tool}${given.length > 0 ? ` with ${given.join(', ')}` : ''} and tell me what it says.`;
}

/** The first line of the result, cut to a quotable length. */
function quoteOf(result: string): string {
  const line =
    result
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l !== '') ?? '';
  return line.length > QUOTE_MAX ? line.slice(0, QUOTE_MAX) : line;
}

/** String arguments the result repeats: what a live answer should mention too. */
function echoedArguments(args: Record<string, unknown>, result: string | undefined): string[] {
  if (result === undefined) return [];
  return Object.values(args).filter((v): v is string => typeof v === 'string' && v.length >= 3 && result.includes(v));
}

/** YAML of a value: JSON is valid YAML, and keeps every string safely quoted. */
const y = (value: unknown) => JSON.stringify(value);

/**
 * The example scenario `helpdesk init` writes, as commented YAML: one question, the script that
 * authors its cassette without a model (one call of the tool with the sample arguments, then an
 * answer quoting what the tool returned), and expectations a live model must meet too.
 */
export function exampleScenarioYaml(call: ExampleCall, schemaFile: string): string {
  const id = exampleId(call);
  const quote = call.result === undefined ? undefined : quoteOf(call.result);
  const contains = echoedArguments(call.args, call.result);
  // The answer must hold what the example expects of it, including echoed values the quote was cut before.
  const quoted = quote ? `${call.tool} returned: ${quote}` : `I called ${call.tool}; its result is above.`;
  const missing = contains.filter((value) => !quoted.includes(value));
  const answer = missing.length > 0 ? `${quoted} (for ${missing.map((v) => JSON.stringify(v)).join(', ')})` : quoted;
  const budget = startupBudget(call.startupMs);
  return [
    `# yaml-language-server: $schema=./${schemaFile}`,
    `# Written by helpdesk init: one question that needs ${call.tool} (server ${call.server}).`,
    '# Edit it, copy it for more scenarios, then: helpdesk eval --author (writes the cassette from',
    '# the script, no model needed), helpdesk eval (replays it offline), helpdesk eval --record (asks',
    '# your live model and records what it does).',
    `id: ${id}`,
    `description: ${y(`The agent answers with ${call.tool} of ${call.server}, called once with the example arguments.`)}`,
    `tags: [example, ${y(call.server)}]`,
    'turns:',
    `  - ${y(call.question)}`,
    '# The model turns that --author writes into the cassette: a tool call, then the answer.',
    'script:',
    '  - tool_calls:',
    `      - name: ${y(call.tool)}`,
    `        arguments: ${y(call.args)}`,
    `  - answer: ${y(answer)}`,
    '# What every run must show, replayed or live.',
    'expect:',
    '  tools:',
    '    mode: exact',
    '    calls:',
    `      - name: ${y(call.tool)}`,
    `        args: ${y(call.args)}`,
    '  iterations: {max: 2}',
    ...(contains.length > 0 ? ['  answer:', `    contains: ${y(contains)}`] : []),
    ...(quote ? [] : ['  # The tool answered differently twice in a row, so the answer quotes nothing of it.']),
    ...(budget
      ? [
          `  # The servers took ${Math.round(call.startupMs ?? 0)} ms to start when init ran them: three times that is their budget.`,
          `  latency: {startup_ms: ${budget}}`,
        ]
      : []),
    '',
  ].join('\n');
}
