import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATASET_NOW } from '../shared/clock.ts';
import { loadScenarioFile, loadScenarios, scenarioJsonSchema, ScenarioFileError } from './scenario.ts';

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
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
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
  it('loads a minimal scenario with the documented defaults', () => {
    const file = write('minimal.json', body('minimal', { expect: { tools: { calls: [{ name: 'search_tickets' }] } } }));
    const { scenario, file: loadedFrom } = loadScenarioFile(file, dir);
    expect(loadedFrom).toBe(file);
    expect(scenario).toMatchObject({
      id: 'minimal', tags: [], now: DATASET_NOW, model: { max_iterations: 10 },
      expect: { stop_reason: 'final_answer', grounded: true, tools: [{ mode: 'in_order', calls: [{ name: 'search_tickets', args_match: 'partial' }] }] },
    });
  });

  it('rejects an unknown top-level field, naming the file and the field', () => {
    const file = write('typo.json', body('typo', { expectations: { answer: { contains: ['TKT-1001'] } } }));
    const error = fileError(() => loadScenarioFile(file, dir));
    expect(error.name).toBe('ScenarioFileError');
    expect(error.file).toBe('typo.json');
    expect(error.message).toBe('typo.json:\n  (top level): Unrecognized key: "expectations"');
  });

  it('rejects an unknown nested field with its path', () => {
    const file = write('nested.json', body('nested', { expect: { tools: { calls: [{ name: 'search_tickets', arguments: {} }] }, answer: { contain: ['x'] } } }));
    const error = fileError(() => loadScenarioFile(file, dir));
    expect(error.message).toContain('nested.json:');
    expect(error.message).toContain('expect.tools.calls.0: Unrecognized key: "arguments"');
    expect(error.message).toContain('expect.answer: Unrecognized key: "contain"');
  });

  it('shows the file relative to the given root', () => {
    const file = write('typo.json', body('typo', { extra: 1 }));
    expect(fileError(() => loadScenarioFile(file, join(dir, '..'))).message).toMatch(/^scenario-unit-\w+\/typo\.json:\n/);
  });

  it('requires the id to equal the file name', () => {
    const file = write('critical-tickets.json', body('critical-ticket'));
    expect(fileError(() => loadScenarioFile(file, dir)).message)
      .toBe('critical-tickets.json:\n  id "critical-ticket" must match the file name (critical-ticket.json)');
  });

  it('rejects an id that cannot name a file portably', () => {
    const file = write('Critical_Tickets.json', body('Critical_Tickets'));
    expect(fileError(() => loadScenarioFile(file, dir)).message).toContain('id: lower-case letters, digits and "-"');
  });

  it('rejects a pinned clock that is not an ISO-8601 instant, and accepts a bare day', () => {
    const bad = write('bad-now.json', body('bad-now', { now: 'yesterday' }));
    expect(fileError(() => loadScenarioFile(bad, dir)).message).toBe('bad-now.json:\n  now: must be an ISO-8601 instant');
    const day = write('day-now.json', body('day-now', { now: '2025-10-05' }));
    expect(loadScenarioFile(day, dir).scenario.now).toBe('2025-10-05');
  });

  it('reports a file that is not JSON with the file name and the parser message', () => {
    const file = write('broken.json', '{ "id": "broken", ');
    const error = fileError(() => loadScenarioFile(file, dir));
    expect(error.message).toMatch(/^broken\.json:\n {2}.*JSON/);
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
    expect(error.message).toContain('first-bad.json:\n  (top level): Unrecognized key: "expectations"');
    expect(error.message).toContain('second-bad.json:\n  now: must be an ISO-8601 instant');
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
});
