import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson, cassettePath, changedTools, readCassette, toolsHash, writeCassette, type Cassette } from './cassette.ts';
import { firstDifference } from './json-diff.ts';
import { ConfigError } from '../../orchestrator/errors.ts';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cassette-unit-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const tool = (name: string, description = `${name} does things`, properties: Record<string, unknown> = {}) => ({
  type: 'function',
  function: { name, description, parameters: { type: 'object', properties, additionalProperties: false } },
});

const TOOLS = [tool('search_tickets', 'Find tickets.', { priority: { type: 'string' } }), tool('lookup_customer')];

/** What `fn` throws. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

function cassette(extra: Partial<Cassette> = {}): Cassette {
  return {
    format: 1,
    scenario: 'unit',
    source: 'authored',
    model: 'gpt-4o-mini',
    recorded_at: '2025-10-05T12:00:00.000Z',
    tools_hash: toolsHash(TOOLS),
    max_retries: 0,
    interactions: [
      {
        request: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'q' }], tools: TOOLS, tool_choice: 'auto' },
        response: { status: 200, body: { choices: [{ message: { role: 'assistant', content: 'a' } }] } },
      },
    ],
    ...extra,
  };
}

describe('cassettes', () => {
  it('serialises equal values to equal text whatever the key order, keeping array order', () => {
    const a = { model: 'm', messages: [{ role: 'user', content: 'q' }], nested: { z: 1, a: [{ y: 2, b: null }] } };
    const b = { nested: { a: [{ b: null, y: 2 }], z: 1 }, messages: [{ content: 'q', role: 'user' }], model: 'm' };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(b)).toBe('{"messages":[{"content":"q","role":"user"}],"model":"m","nested":{"a":[{"b":null,"y":2}],"z":1}}');
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
    expect(canonicalJson('text')).toBe('"text"');
  });

  it('hashes tool definitions stably: same tools in another key order, same hash; a changed description, another', () => {
    const hash = toolsHash(TOOLS);
    expect(hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(toolsHash(structuredClone(TOOLS))).toBe(hash);
    const reordered = TOOLS.map((t) => ({
      function: { parameters: t.function.parameters, description: t.function.description, name: t.function.name },
      type: t.type,
    }));
    expect(toolsHash(reordered)).toBe(hash);
    const edited = [tool('search_tickets', 'Find tickets!', { priority: { type: 'string' } }), tool('lookup_customer')];
    expect(toolsHash(edited)).not.toBe(hash);
    expect(toolsHash([...TOOLS].reverse())).not.toBe(hash);
    expect(toolsHash(undefined)).toBe(toolsHash([]));
  });

  it('hashes one tool list once however often it is asked (a pool hands every scenario the same list), and any other value each time', () => {
    const list = structuredClone(TOOLS);
    const hash = toolsHash(list);
    // Changed in place after its first hash, the same list keeps that hash: it was not hashed again.
    (list[0] as { function: { description: string } }).function.description = 'changed in place';
    expect(toolsHash(list)).toBe(hash);
    // A copy is another object: hashed afresh, it shows the change.
    const copy = structuredClone(list);
    expect(toolsHash(copy)).not.toBe(hash);
    expect(toolsHash(copy)).toBe(toolsHash(structuredClone(copy)));
    expect(toolsHash('not a list')).toBe(toolsHash('not a list'));
    expect(toolsHash('not a list')).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(toolsHash('not a list')).not.toBe(toolsHash('another'));
  });

  it('finds no difference between equal values in another key order', () => {
    expect(firstDifference({ a: 1, b: [1, { c: 2, d: 3 }] }, { b: [1, { d: 3, c: 2 }], a: 1 })).toBeUndefined();
  });

  it('names the path of the first difference with the recorded and current values', () => {
    const recorded = {
      model: 'm',
      messages: [
        { role: 'system', content: 'You help.' },
        { role: 'user', content: 'CUST-001' },
      ],
    };
    const now = {
      model: 'm',
      messages: [
        { role: 'system', content: 'You help.' },
        { role: 'user', content: 'CUST-002' },
      ],
    };
    expect(firstDifference(recorded, now)).toBe('messages[1].content:\n    recorded: "CUST-001"\n    now:      "CUST-002"');
  });

  it('names a key that appeared or disappeared, a changed type, and a difference at the top', () => {
    expect(firstDifference({ a: { b: 1 } }, { a: { b: 1, c: true } })).toBe('a.c:\n    recorded: nothing\n    now:      true');
    expect(firstDifference({ a: [1, 2] }, { a: [1] })).toBe('a[1]:\n    recorded: 2\n    now:      nothing');
    expect(firstDifference({ a: [1] }, { a: { 0: 1 } })).toBe('a:\n    recorded: [1]\n    now:      {"0":1}');
    expect(firstDifference('x', 'y')).toBe('(root):\n    recorded: "x"\n    now:      "y"');
  });

  it('clips long values in a difference', () => {
    const diff = firstDifference({ content: 'a'.repeat(500) }, { content: 'b'.repeat(500) }) ?? '';
    const [, recorded] = diff.split('\n');
    expect(recorded).toBe(`    recorded: "${'a'.repeat(158)}…`);
  });

  it('lists tools added, removed and changed by name, in name order', () => {
    const before = [tool('search_tickets'), tool('lookup_customer'), tool('get_invoice')];
    const after = [tool('lookup_customer'), tool('get_invoice', 'Now with line items.'), tool('check_warranty')];
    expect(changedTools(before, after)).toEqual(['check_warranty (added)', 'get_invoice (changed)', 'search_tickets (removed)']);
    expect(changedTools(before, structuredClone(before).reverse())).toEqual([]);
    expect(changedTools(undefined, [tool('a')])).toEqual(['a (added)']);
    expect(changedTools([{ type: 'web_search' }, tool('a')], [tool('a')])).toEqual(['? (removed)']);
  });

  it('writes a cassette readably and reads it back unchanged', () => {
    const path = cassettePath(join(dir, 'nested', 'recordings'), 'unit');
    expect(path).toBe(join(dir, 'nested', 'recordings', 'unit.json'));
    writeCassette(path, cassette());
    const text = readFileSync(path, 'utf8');
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('\n  "source": "authored",\n');
    expect(readCassette(path)).toEqual(cassette());
  });

  it('refuses to write a cassette that does not fit the schema', () => {
    const path = join(dir, 'bad.json');
    expect(() => writeCassette(path, { ...cassette(), source: 'guessed' } as unknown as Cassette)).toThrow(/source/);
    expect(readCassette(path)).toBeUndefined();
  });

  it('reads no cassette when there is no file', () => {
    expect(readCassette(join(dir, 'absent.json'))).toBeUndefined();
  });

  it('rejects an invalid cassette, naming the file and the bad fields', () => {
    const path = join(dir, 'invalid.json');
    writeFileSync(path, JSON.stringify({ ...cassette(), format: 2, source: 'guessed', headers: { authorization: 'Bearer sk-x' } }));
    expect(() => readCassette(path)).toThrow(`${path}: not a valid cassette: `);
    let message = '';
    try {
      readCassette(path);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('format: ');
    expect(message).toContain('source: ');
    expect(message).toContain('Unrecognized key: "headers"');
  });

  it('lists every bad field of a cassette as "path: problem", separated by semicolons', () => {
    const path = join(dir, 'two-problems.json');
    writeFileSync(
      path,
      JSON.stringify({ ...cassette(), max_retries: -1, interactions: [{ request: {}, response: { status: 'ok', body: {} } }] }),
    );
    const error = thrown(() => readCassette(path));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({
      code: 'invalid_cassette',
      message: `${path}: not a valid cassette: max_retries: Too small: expected number to be >=0; interactions.0.response.status: Invalid input: expected number, received string`,
    });
  });

  it('rejects an interaction without a response status', () => {
    const path = join(dir, 'no-status.json');
    const broken = cassette();
    writeFileSync(path, JSON.stringify({ ...broken, interactions: [{ request: {}, response: { body: {} } }] }));
    expect(() => readCassette(path)).toThrow(/interactions\.0\.response\.status: /);
  });

  it('rejects a cassette that is not JSON, naming the file', () => {
    const path = join(dir, 'truncated.json');
    writeFileSync(path, '{ "format": 1, "interactions": [');
    const error = thrown(() => readCassette(path));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).code).toBe('invalid_cassette');
    expect((error as ConfigError).message.startsWith(`${path}: not valid JSON: `)).toBe(true);
    expect((error as ConfigError).cause).toBeInstanceOf(SyntaxError);
  });
});
