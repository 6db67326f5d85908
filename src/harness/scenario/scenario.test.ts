import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATASET_NOW } from '../../shared/clock.ts';
import { loadScenarioCases, loadScenarioFile, scenarioJsonSchema, ScenarioFileError } from './scenario.ts';
import { loadScenarios } from './load-suite.ts';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'scenario-unit-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A valid scenario body, overridable field by field. */
function body(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id, description: `unit ${id}`, turns: ['What are the critical tickets for customer CUST-001?'], expect: {}, ...extra };
}

function write(name: string, content: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

/** The ScenarioFileError a call throws (fails the test when it does not throw one). */
function fileError(call: () => unknown): ScenarioFileError {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioFileError);
    return error as ScenarioFileError;
  }
  throw new Error('expected a ScenarioFileError, nothing was thrown');
}

describe('scenario files', () => {
  it('refuses a "__proto__" key anywhere in a file, naming its path, line and column, in JSON and in YAML', () => {
    // JSON.stringify would drop the key: the text is written as a person would type it.
    const json = write(
      'proto.json',
      JSON.stringify(
        body('proto', { expect: { tools: { calls: [{ name: 'search_tickets', args: { priority: 'critical' }, args_match: 'exact' }] } } }),
        null,
        2,
      ).replace('"priority": "critical"', '"__proto__": { "priority": "low" }'),
    );
    expect(fileError(() => loadScenarioFile(json, dir)).problems).toEqual([
      'line 13, column 13: expect.tools.calls.0.args.__proto__: "__proto__" cannot be a key: a JavaScript object drops it, so what it holds would check nothing',
    ]);
    const yaml = write(
      'proto-y.yaml',
      'id: proto-y\ndescription: d\nturns: [q]\nexpect:\n  tools:\n    calls:\n      - name: search_tickets\n        args:\n          __proto__: {priority: low}\n',
    );
    expect(fileError(() => loadScenarioFile(yaml, dir)).problems).toEqual([
      'line 9, column 11: expect.tools.calls.0.args.__proto__: "__proto__" cannot be a key: a JavaScript object drops it, so what it holds would check nothing',
    ]);
  });

  it('loads a minimal scenario with the documented defaults', () => {
    const file = write('minimal.json', body('minimal', { expect: { tools: { calls: [{ name: 'search_tickets' }] } } }));
    const { scenario, file: loadedFrom } = loadScenarioFile(file, dir);
    expect(loadedFrom).toBe(file);
    expect(scenario).toMatchObject({
      id: 'minimal',
      tags: [],
      now: DATASET_NOW,
      model: { max_iterations: 10 },
      expect: {
        stop_reason: 'final_answer',
        grounded: true,
        tools: [{ mode: 'in_order', calls: [{ name: 'search_tickets', args_match: 'partial' }] }],
      },
    });
  });

  it('rejects an unknown top-level field, naming the file and the field', () => {
    const file = write('typo.json', body('typo', { expectations: { answer: { contains: ['TKT-1001'] } } }));
    const error = fileError(() => loadScenarioFile(file, dir));
    expect(error.name).toBe('ScenarioFileError');
    expect(error.file).toBe('typo.json');
    expect(error.message).toBe('typo.json:\n  line 8, column 3: (top level): Unrecognized key: "expectations"');
  });

  it('rejects an unknown nested field with its path', () => {
    const file = write(
      'nested.json',
      body('nested', { expect: { tools: { calls: [{ name: 'search_tickets', arguments: {} }] }, answer: { contain: ['x'] } } }),
    );
    const error = fileError(() => loadScenarioFile(file, dir));
    expect(error.message).toContain('nested.json:');
    expect(error.message).toContain('expect.tools.calls.0: Unrecognized key: "arguments"');
    expect(error.message).toContain('expect.answer: Unrecognized key: "contain"');
  });

  it('refuses patterns RE2 cannot run, at load time, with the path and the reason', () => {
    const file = write(
      'patterns.json',
      body('patterns', {
        expect: {
          tools: {
            calls: [{ name: 'search_tickets', args: { customer_id: { $regex: '(CUST)-\\1' }, priority: { $regex: 'crit', $flags: 'g' } } }],
          },
          answer: { matches: 'TKT-1001(?= is)' },
        },
      }),
    );
    const error = fileError(() => loadScenarioFile(file, dir));
    expect(error.message.split('\n').slice(1)).toEqual([
      '  line 14, column 15: expect.tools.calls.0.args.customer_id.$regex: $regex matcher: RE2 syntax (linear time) has no backreferences or this escape: invalid escape sequence: `\\1`',
      '  line 18, column 15: expect.tools.calls.0.args.priority.$flags: $regex matcher: flag "g" is not supported (use i, m, s or u)',
      '  line 25, column 7: expect.answer.matches: RE2 syntax (linear time) has no lookahead or lookbehind: invalid or unsupported Perl syntax: `(?=`',
    ]);
  });

  it('shows the file relative to the given root', () => {
    const file = write('typo.json', body('typo', { extra: 1 }));
    expect(fileError(() => loadScenarioFile(file, join(dir, '..'))).message).toMatch(/^scenario-unit-\w+\/typo\.json:\n/);
  });

  it('requires the id to equal the file name', () => {
    const file = write('critical-tickets.json', body('critical-ticket'));
    expect(fileError(() => loadScenarioFile(file, dir)).message).toBe(
      'critical-tickets.json:\n  line 2, column 3: id: "critical-ticket" must match the file name (critical-tickets.json declares critical-tickets)',
    );
  });

  it('rejects an id that cannot name a file portably', () => {
    const file = write('Critical_Tickets.json', body('Critical_Tickets'));
    expect(fileError(() => loadScenarioFile(file, dir)).message).toContain('id: lower-case letters, digits and "-"');
  });

  it('rejects a pinned clock that is not an ISO-8601 instant, and accepts a bare day', () => {
    const bad = write('bad-now.json', body('bad-now', { now: 'yesterday' }));
    expect(fileError(() => loadScenarioFile(bad, dir)).message).toBe('bad-now.json:\n  line 8, column 3: now: must be an ISO-8601 instant');
    const day = write('day-now.json', body('day-now', { now: '2025-10-05' }));
    expect(loadScenarioFile(day, dir).scenario.now).toBe('2025-10-05');
  });

  it('reports a file that is not JSON with the file name, the line and column, and the parser message', () => {
    const file = write('broken.json', '{ "id": "broken", ');
    const error = fileError(() => loadScenarioFile(file, dir));
    expect(error.message).toBe('broken.json:\n  line 1, column 19: Expected double-quoted property name');
  });

  it('rejects a scenario without turns or with a script turn of an unknown shape', () => {
    const noTurns = write('no-turns.json', body('no-turns', { turns: [] }));
    expect(fileError(() => loadScenarioFile(noTurns, dir)).message).toContain('turns: ');
    const badScript = write('bad-script.json', body('bad-script', { script: [{ say: 'hello' }] }));
    expect(fileError(() => loadScenarioFile(badScript, dir)).message).toContain('script.0: ');
  });

  it('collects the errors of every invalid file in a folder into one error', () => {
    write('good.json', body('good'));
    write('first-bad.json', body('first-bad', { expectations: {} }));
    write('second-bad.json', body('second-bad', { now: 'soon' }));
    const error = fileError(() => loadScenarios(dir, {}, dir));
    expect(error.file).toBe(dir);
    expect(error.message).toContain('first-bad.json:\n  line 8, column 3: (top level): Unrecognized key: "expectations"');
    expect(error.message).toContain('second-bad.json:\n  line 8, column 3: now: must be an ISO-8601 instant');
    expect(error.message).not.toContain('good.json');
  });

  it('loads every scenario of a folder sorted by file name, skipping the schema and other files', () => {
    write('b-second.json', body('b-second'));
    write('a-first.json', body('a-first'));
    write('scenario.schema.json', { type: 'object' });
    write('notes.txt', 'not a scenario');
    expect(loadScenarios(dir, {}, dir).map((s) => s.scenario.id)).toEqual(['a-first', 'b-second']);
  });

  it('filters by id, by any of the tags, by file, and by all given kinds together', () => {
    write('billing-a.json', body('billing-a', { tags: ['billing', 'smoke'] }));
    write('billing-b.json', body('billing-b', { tags: ['billing'] }));
    write('tickets-a.json', body('tickets-a', { tags: ['tickets', 'smoke'] }));
    write('untagged.json', body('untagged'));
    const ids = (filter: Parameters<typeof loadScenarios>[1]) => loadScenarios(dir, filter, dir).map((s) => s.scenario.id);
    expect(ids({})).toEqual(['billing-a', 'billing-b', 'tickets-a', 'untagged']);
    expect(ids({ ids: ['tickets-a', 'untagged'] })).toEqual(['tickets-a', 'untagged']);
    expect(ids({ tags: ['smoke'] })).toEqual(['billing-a', 'tickets-a']);
    expect(ids({ tags: ['tickets', 'billing'] })).toEqual(['billing-a', 'billing-b', 'tickets-a']);
    expect(ids({ files: ['billing-b.json'] })).toEqual(['billing-b']);
    expect(ids({ files: [join(dir, 'untagged.json')] })).toEqual(['untagged']);
    expect(ids({ tags: ['billing'], ids: ['billing-b', 'tickets-a'] })).toEqual(['billing-b']);
    expect(ids({ ids: ['nope'] })).toEqual([]);
  });

  it('selects by file only the named file, not another whose name ends the same way', () => {
    write('a.json', body('a'));
    write('greet-a.json', body('greet-a'));
    expect(loadScenarios(dir, { files: ['a.json'] }, dir).map((s) => s.scenario.id)).toEqual(['a']);
  });

  it('exports a JSON Schema that rejects unknown fields at the top and inside expect', () => {
    const schema = scenarioJsonSchema();
    expect(schema.type).toBe('object');
    expect(schema.additionalProperties).toBe(false);
    // turns or variations: one of them, which the loader checks (JSON Schema lists neither as required).
    expect(schema.required).toEqual(['id', 'description', 'expect']);
    const properties = schema.properties as Record<string, Record<string, unknown>>;
    expect(Object.keys(properties)).toEqual(expect.arrayContaining(['id', 'turns', 'variations', 'now', 'script', 'expect', 'servers']));
    expect(properties.expect?.additionalProperties).toBe(false);
  });
  it('expands variations into cases <id>.<variation> with their own turns and scripts, sharing the expectations', () => {
    const file = write('intent.json', {
      id: 'intent',
      description: 'one intent',
      tags: ['intent'],
      model: { max_iterations: 5 },
      variations: [
        'What are the critical tickets?',
        { id: 'formal', turns: ['List every ticket of critical priority.', 'And the first one?'], script: [{ answer: 'None.' }] },
      ],
      expect: {
        tools: [
          { mode: 'any_of', calls: [{ name: 'search_tickets' }] },
          { mode: 'subset', calls: [{ args: { priority: 'critical' } }] },
        ],
        stop_reason: 'any',
      },
    });
    const cases = loadScenarioCases(file, dir);
    expect(cases.map((c) => [c.scenario.id, c.scenario.turns, c.variation])).toEqual([
      [
        'intent.v1',
        ['What are the critical tickets?'],
        { scenario: 'intent', variation: 'v1', index: 1, text: 'What are the critical tickets?' },
      ],
      [
        'intent.formal',
        ['List every ticket of critical priority.', 'And the first one?'],
        { scenario: 'intent', variation: 'formal', index: 2, text: 'List every ticket of critical priority.' },
      ],
    ]);
    expect(cases[1]?.scenario.script).toEqual([{ answer: 'None.' }]);
    expect(
      cases.every(
        (c) => c.scenario.model.max_iterations === 5 && c.scenario.expect.stop_reason === 'any' && c.scenario.tags[0] === 'intent',
      ),
    ).toBe(true);
    expect(cases[0]?.scenario.expect.tools?.[1]?.calls[0]).toEqual({ args: { priority: 'critical' }, args_match: 'partial' });
    expect(fileError(() => loadScenarioFile(file, dir)).message).toContain('has 2 variations');
  });

  it('selects all variations by the scenario ID and one by its case ID', () => {
    write('intent.json', { id: 'intent', description: 'd', variations: ['a?', 'b?'], expect: {} });
    write('other.json', body('other'));
    const ids = (filter: Parameters<typeof loadScenarios>[1]) => loadScenarios(dir, filter, dir).map((s) => s.scenario.id);
    expect(ids({ ids: ['intent'] })).toEqual(['intent.v1', 'intent.v2']);
    expect(ids({ ids: ['intent.v2', 'other'] })).toEqual(['intent.v2', 'other']);
  });

  it('refuses a file with both turns and variations or neither, a shared script, and a variation ID used twice', () => {
    const both = write('both.json', { ...body('both'), variations: ['x?'] });
    expect(fileError(() => loadScenarioCases(both, dir)).message).toBe(
      'both.json:\n  line 4, column 3: turns: give either turns or variations (one of them, not both)',
    );
    const neither = write('neither.json', { id: 'neither', description: 'd', expect: {} });
    expect(fileError(() => loadScenarioCases(neither, dir)).message).toContain('turns: give either turns or variations');
    const shared = write('shared.json', { id: 'shared', description: 'd', variations: ['x?'], script: [{ answer: 'a' }], expect: {} });
    expect(fileError(() => loadScenarioCases(shared, dir)).message).toContain(
      'script: with variations, give each variation its own script',
    );
    const twice = write('twice.json', { id: 'twice', description: 'd', variations: ['x?', { id: 'v1', turns: ['y?'] }], expect: {} });
    expect(fileError(() => loadScenarioCases(twice, dir)).message).toContain('variations: variation id "v1" is used twice');
  });

  it('checks the answer-grading fields: judge rubric, weights, score threshold, grounded and custom graders', () => {
    const bad = write(
      'bad.json',
      body('bad', {
        expect: { judge: { rubric: '' }, score_threshold: 2, grounded: 'yes', custom: [{ export: 'x' }], weights: { tools: -1 } },
      }),
    );
    const message = fileError(() => loadScenarioFile(bad, dir)).message;
    for (const path of [
      'expect.judge.rubric',
      'expect.score_threshold',
      'expect.grounded',
      'expect.custom.0.module',
      'expect.weights.tools',
    ])
      expect(message).toContain(`${path}: `);
    const good = write(
      'good.json',
      body('good', {
        expect: { judge: { rubric: 'r' }, grounded: { ignore: ['TKT-9'] }, stop_reason: ['final_answer', 'max_iterations'] },
      }),
    );
    expect(loadScenarioFile(good, dir).scenario.expect).toMatchObject({
      judge: [{ rubric: 'r' }],
      grounded: { ignore: ['TKT-9'] },
      stop_reason: ['final_answer', 'max_iterations'],
    });
  });
});

describe('YAML scenario files', () => {
  it('loads a .yaml scenario exactly as its JSON twin', () => {
    const json = loadScenarioFile(write('twin-json.json', body('twin-json', { tags: ['a'] })), dir).scenario;
    const yaml = write(
      'twin-yaml.yaml',
      [
        '# yaml-language-server: $schema=./scenario.schema.json',
        'id: twin-yaml',
        'description: unit twin-json',
        'tags: [a]',
        'turns:',
        '  - What are the critical tickets for customer CUST-001?',
        'expect: {}',
        '',
      ].join('\n'),
    );
    expect({ ...loadScenarioFile(yaml, dir).scenario, id: 'twin-json', description: 'unit twin-json' }).toEqual({
      ...json,
      description: 'unit twin-json',
    });
  });

  it("names the line and column of a typo'd field, an unknown nested field and a bad value in a .yml file", () => {
    const file = write(
      'typos.yml',
      [
        'id: typos',
        'description: three mistakes',
        'turns: [hello]',
        'now: soon',
        'expectations:',
        '  answer: {contains: [x]}',
        'expect:',
        '  tools:',
        '    calls:',
        '      - name: search_tickets',
        '        arguments: {}',
        '',
      ].join('\n'),
    );
    expect(fileError(() => loadScenarioFile(file, dir)).message.split('\n')).toEqual([
      'typos.yml:',
      '  line 4, column 1: now: must be an ISO-8601 instant',
      '  line 11, column 9: expect.tools.calls.0: Unrecognized key: "arguments"',
      '  line 5, column 1: (top level): Unrecognized key: "expectations"',
    ]);
  });

  it('reports a YAML syntax error with its line and column', () => {
    const file = write('broken.yaml', 'id: broken\ndescription: "never closed\nturns: [x]\n');
    expect(fileError(() => loadScenarioFile(file, dir)).message).toMatch(
      /^broken\.yaml:\n {2}line \d+, column \d+: Missing closing "quote/,
    );
  });

  it('refuses two files that declare the same scenario, one JSON and one YAML', () => {
    write('same.json', body('same'));
    write('same.yaml', 'id: same\ndescription: twin\nturns: [x]\nexpect: {}\n');
    const error = fileError(() => loadScenarios(dir, {}, dir));
    expect(error.message).toContain('same.yaml:\n  id "same" is already the name of same.json; one scenario, one file');
  });
});
