import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseScenarioSource } from '../scenario/source.ts';
import { loadScenarioFile } from '../scenario/scenario.ts';
import { exampleId, exampleQuestion, exampleScenarioYaml, startupBudget } from './example-scenario.ts';
import { projectFiles } from './project-files.ts';
import { sampleArguments } from './sample-args.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('sampleArguments', () => {
  it('fills only the required properties, from default, examples, const and enum before the type', () => {
    expect(
      sampleArguments({
        type: 'object',
        properties: {
          a: { type: 'string', default: 'given' },
          b: { type: 'string', examples: ['shown'] },
          c: { const: 7 },
          d: { type: 'string', enum: ['low', 'high'] },
          e: { type: 'string' },
          optional: { type: 'string' },
        },
        required: ['a', 'b', 'c', 'd', 'e'],
      }),
    ).toEqual({ a: 'given', b: 'shown', c: 7, d: 'low', e: 'example e' });
  });

  it("keeps numbers, lengths and formats inside the schema's bounds", () => {
    const args = sampleArguments({
      type: 'object',
      properties: {
        small: { type: 'integer', minimum: 5, maximum: 9 },
        capped: { type: 'number', maximum: 0.5 },
        above: { type: 'integer', exclusiveMinimum: 10 },
        code: { type: 'string', minLength: 12, maxLength: 12 },
        short: { type: 'string', maxLength: 3 },
        day: { type: 'string', format: 'date' },
        link: { type: 'string', format: 'uri' },
      },
      required: ['small', 'capped', 'above', 'code', 'short', 'day', 'link'],
    });
    expect(args).toEqual({
      small: 5,
      capped: 0.5,
      above: 11,
      code: 'example code',
      short: 'exa',
      day: '2025-01-01',
      link: 'https://example.com/',
    });
  });

  it('builds nested objects and arrays, takes the first non-null type and the first anyOf branch', () => {
    expect(
      sampleArguments({
        type: 'object',
        properties: {
          filter: { type: 'object', properties: { field: { type: 'string' }, limit: { type: 'integer' } }, required: ['field'] },
          ids: { type: 'array', items: { type: 'string' }, minItems: 2 },
          maybe: { type: ['null', 'boolean'] },
          either: { anyOf: [{ type: 'number' }, { type: 'string' }] },
        },
        required: ['filter', 'ids', 'maybe', 'either'],
      }),
    ).toEqual({ filter: { field: 'example field' }, ids: ['example ids', 'example ids'], maybe: true, either: 1 });
  });

  it('gives an empty object for a tool without parameters', () => {
    expect(sampleArguments({ type: 'object', properties: {} })).toEqual({});
    expect(sampleArguments({})).toEqual({});
  });
});

describe('exampleScenarioYaml', () => {
  const call = {
    server: 'Everything',
    tool: 'get-sum',
    args: { a: 1, b: 2 },
    question: exampleQuestion('get-sum', { a: 1, b: 2 }),
    result: 'The sum of 1 and 2 is 3.\nmore lines',
  };

  it('is a valid scenario whose script calls the tool and quotes the first line of its result', () => {
    const dir = mkdtempSync(join(tmpdir(), 'example-'));
    dirs.push(dir);
    const file = join(dir, `${exampleId(call)}.yaml`);
    writeFileSync(file, exampleScenarioYaml(call, 'scenario.schema.json'));
    const { scenario } = loadScenarioFile(file, dir);
    expect(scenario.id).toBe('everything-get-sum-example');
    expect(scenario.turns).toEqual(['Please use get-sum with a 1, b 2 and tell me what it says.']);
    expect(scenario.script).toEqual([
      { tool_calls: [{ name: 'get-sum', arguments: { a: 1, b: 2 } }] },
      { answer: 'get-sum returned: The sum of 1 and 2 is 3.' },
    ]);
    expect(scenario.expect.tools).toMatchObject([{ mode: 'exact', calls: [{ name: 'get-sum', args: { a: 1, b: 2 } }] }]);
    expect(scenario.expect.answer).toBeUndefined();
  });

  it('asks a live answer to repeat the string arguments the tool echoed, and quotes nothing of a result that changes', () => {
    const echoed = parseScenarioSource(
      'x.yaml',
      exampleScenarioYaml({ ...call, tool: 'echo', args: { message: 'hello "there"' }, result: 'Echo: hello "there"' }, 's.json'),
    ) as { expect: { answer: unknown } };
    expect(echoed.expect.answer).toEqual({ contains: ['hello "there"'] });
    const changing = parseScenarioSource('x.yaml', exampleScenarioYaml({ ...call, result: undefined }, 's.json')) as { script: unknown[] };
    expect(changing.script.at(-1)).toEqual({ answer: 'I called get-sum; its result is above.' });
  });

  it('writes an answer that holds every echoed argument it expects, even one the quote is cut before', () => {
    const result = JSON.stringify({ tickets: [{ ticket_id: 'TKT-1001', subject: 'x'.repeat(180), priority: 'critical' }] });
    const yaml = exampleScenarioYaml({ ...call, tool: 'search_tickets', args: { priority: 'critical' }, result }, 's.json');
    const parsed = parseScenarioSource('x.yaml', yaml) as { script: { answer?: string }[]; expect: { answer: { contains: string[] } } };
    expect(parsed.expect.answer).toEqual({ contains: ['critical'] });
    const answer = parsed.script.at(-1)?.answer ?? '';
    expect(answer.startsWith(`search_tickets returned: ${result.slice(0, 160)}`)).toBe(true);
    expect(answer).toContain('critical');
  });

  it('makes an ID of lower-case letters, digits and dashes from any server and tool name', () => {
    expect(exampleId({ server: 'My_Server', tool: 'files__read.file' })).toBe('my-server-files-read-file-example');
  });
});

describe('projectFiles', () => {
  it('writes the servers without defaults, turns the built-ins off and points at the prompt with {{today}} in it', () => {
    const files = projectFiles({
      name: 'My Evals',
      dir: '/work/evals',
      servers: {
        fs: { command: 'npx', args: ['-y', 'server-fs', '.'], env: {}, disabled: false, cwd: '/work/evals' },
        docs: { url: 'http://127.0.0.1:9/mcp', args: [], env: {}, disabled: false },
      },
      scenarioId: 'fs-read-example',
      scenarioYaml: 'id: fs-read-example\n',
      schemaText: '{}\n',
      repoRoot: '/work',
      helpdeskPackage: '^0.1.0',
      credentials: [],
    });
    expect(JSON.parse(files['helpdesk.config.json'] as string)).toEqual({
      mcpServers: { fs: { command: 'npx', args: ['-y', 'server-fs', '.'], cwd: '.' }, docs: { url: 'http://127.0.0.1:9/mcp' } },
      builtinServers: false,
      systemPrompt: 'prompts/system.md',
      scenarios: 'scenarios',
      recordings: 'recordings',
      reports: 'reports',
    });
    expect(files['prompts/system.md']).toContain('tools of fs, docs');
    expect(files['prompts/system.md']).toContain('Today is {{today}}.');
    expect(JSON.parse(files['package.json'] as string)).toMatchObject({ name: 'my-evals', devDependencies: { 'mcp-helpdesk': '^0.1.0' } });
    expect(files['../.github/workflows/helpdesk-eval.yml']).toContain('working-directory: "evals"');
    expect(files['../.github/workflows/helpdesk-eval.yml']).toContain('path: "evals/reports/"');
    expect(files['scenarios/fs-read-example.yaml']).toBe('id: fs-read-example\n');
  });
});

describe('startupBudget', () => {
  it('gives servers slower than the default budget three times their measured start, in whole seconds', () => {
    expect(startupBudget(undefined)).toBeUndefined();
    expect(startupBudget(900)).toBeUndefined();
    expect(startupBudget(1_050)).toBe(4_000);
    expect(startupBudget(2_400)).toBe(8_000);
  });
});
