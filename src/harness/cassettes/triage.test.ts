import { describe, expect, it } from 'vitest';
import { groupDrifts } from './drift-groups.ts';
import { firstDiff as anyDiff } from './json-diff.ts';
import { contractDrifts, DRIFT_RISK, requestDrifts, toolDrifts } from './triage.ts';

const tool = (name: string, description: string, properties: Record<string, unknown> = {}) => ({
  type: 'function',
  function: { name, description, parameters: { type: 'object', properties } },
});

function request(system: string, result: string): unknown {
  return {
    model: 'm',
    tools: [],
    messages: [
      { role: 'system', content: system },
      { role: 'user', content: 'Critical tickets of CUST-001?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'c1', type: 'function', function: { name: 'search_tickets', arguments: '{"customer_id":"CUST-001"}' } }],
      },
      { role: 'tool', tool_call_id: 'c1', content: result },
    ],
  };
}

/** The first difference of two values that differ in a value (not a rename or a shifted list). */
function firstDiff(recorded: unknown, now: unknown) {
  const d = anyDiff(recorded, now);
  return d?.kind === 'changed' || d === undefined ? d : expect.fail(`a changed value, not ${JSON.stringify(d)}`);
}

const RESULT = JSON.stringify({
  tickets: [
    { id: 'TKT-1001', priority: 'critical' },
    { id: 'TKT-1004', priority: 'critical', assignee: 'Sarah Lee' },
  ],
});

describe('drift triage', () => {
  it('names a changed tool result by tool, field and values, and shows the call and exact path', () => {
    const drifts = requestDrifts(request('Prompt.', RESULT), request('Prompt.', RESULT.replace('Sarah Lee', 'Sara Leigh')));
    expect(drifts).toEqual([
      {
        kind: 'data',
        risk: DRIFT_RISK.data,
        change: 'search_tickets result tickets[].assignee: "Sarah Lee" → "Sara Leigh"',
        detail: 'search_tickets({"customer_id":"CUST-001"}) → tickets[1].assignee: recorded "Sarah Lee", now "Sara Leigh"',
      },
    ]);
  });

  it('reports a renamed result field once, naming the old and the new name, whatever its value in each call', () => {
    const warranty = (asset: string, host: string, key = 'hostname') => ({
      model: 'm',
      tools: [],
      messages: [
        { role: 'user', content: 'Warranty?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'c1', type: 'function', function: { name: 'check_warranty', arguments: `{"asset_id":"${asset}"}` } }],
        },
        { role: 'tool', tool_call_id: 'c1', content: JSON.stringify({ asset_id: asset, [key]: host, warranty: { status: 'active' } }) },
      ],
    });
    const calls = [
      ['AST-SRV-001', 'sql-prod-01'],
      ['AST-WKS-002', 'mbp-exec'],
    ] as const;
    const drifts = calls.flatMap(([asset, host]) => requestDrifts(warranty(asset, host), warranty(asset, host, 'host_name')));
    expect(drifts.map((d) => [d.kind, d.change, d.detail])).toEqual([
      [
        'data',
        'check_warranty result hostname renamed host_name',
        'check_warranty({"asset_id":"AST-SRV-001"}) → hostname renamed host_name (same value "sql-prod-01")',
      ],
      [
        'data',
        'check_warranty result hostname renamed host_name',
        'check_warranty({"asset_id":"AST-WKS-002"}) → hostname renamed host_name (same value "mbp-exec")',
      ],
    ]);
    const groups = groupDrifts(
      drifts.map((d, i) => ({ id: `s${i}`, trials: [{ replay: [{ code: 'request_mismatch', ...d, diff: d.detail }] }] })),
    );
    expect(groups.map((g) => [g.change, g.scenarios])).toEqual([['check_warranty result hostname renamed host_name', ['s0', 's1']]]);
  });

  it('reports a list that shifted as items inserted, removed or moved, not as changed IDs', () => {
    const list = (...ids: string[]) =>
      JSON.stringify({ tickets: ids.map((id) => ({ ticket_id: id, priority: 'critical' })), total_count: ids.length });
    const inserted = requestDrifts(request('P', list('TKT-1001', 'TKT-1004')), request('P', list('TKT-1001', 'TKT-1016', 'TKT-1004')));
    expect(inserted.map((d) => [d.change, d.detail])).toEqual([
      [
        'search_tickets result tickets[]: TKT-1016 inserted',
        'search_tickets({"customer_id":"CUST-001"}) → tickets: TKT-1016 inserted at [1] (2 items recorded, 3 now)',
      ],
    ]);
    const capped = requestDrifts(request('P', list('A-1', 'A-2', 'A-3')), request('P', list('A-1', 'A-9', 'A-2')));
    expect(capped.map((d) => d.change)).toEqual(['search_tickets result tickets[]: A-9 inserted, A-3 removed']);
    expect(capped[0]?.detail).toContain('→ tickets: A-9 inserted at [1], A-3 removed from [2] (3 items recorded, 3 now)');
    const moved = requestDrifts(request('P', list('A-1', 'A-2', 'A-3')), request('P', list('A-3', 'A-1', 'A-2')));
    expect(moved.map((d) => d.change)).toEqual(['search_tickets result tickets[]: A-3 moved']);
    expect(moved[0]?.detail).toContain('→ tickets: A-3 moved from [2] to [0] (3 items recorded, 3 now)');
  });

  it('reads an item whose ID alone changed in place as a changed value, and another item in its place as replaced', () => {
    const list = (...items: [string, string][]) => JSON.stringify({ tickets: items.map(([id, subject]) => ({ ticket_id: id, subject })) });
    const [renumbered] = requestDrifts(request('P', list(['A-1', 'x'], ['A-2', 'y'])), request('P', list(['A-1', 'x'], ['B-2', 'y'])));
    expect(renumbered?.change).toBe('search_tickets result tickets[].ticket_id: "A-2" → "B-2"');
    const [replaced] = requestDrifts(request('P', list(['A-1', 'x'], ['A-2', 'y'])), request('P', list(['A-1', 'x'], ['A-9', 'z'])));
    expect(replaced?.change).toBe('search_tickets result tickets[]: A-9 inserted, A-2 removed');
    expect(anyDiff([1, 2], [1, 3])).toMatchObject({ kind: 'changed', path: '[1]' });
  });

  it('shows the new name of a renamed argument in a changed tool definition', () => {
    const before = [tool('search', 'S.', { customer_id: { type: 'string', pattern: '^CUST-\\d{3}$', description: 'Customer.' } })];
    const after = [tool('search', 'S.', { customer: { type: 'string', pattern: '^CUST-\\d{3}$', description: 'Customer.' } })];
    expect(toolDrifts(before, after, []).map((d) => [d.change, d.detail])).toEqual([
      [
        'search definition changed',
        'parameters.properties.customer_id renamed customer (same value {"type":"string","pattern":"^CUST-\\\\d{3}$"})',
      ],
    ]);
  });

  it('word-diffs a changed system prompt instead of cutting both strings short', () => {
    const long = `${'You are an IT-support assistant. '.repeat(6)}Answer concisely and cite the IDs.`;
    const [drift] = requestDrifts(request(long, RESULT), request(long.replace('concisely', 'briefly'), RESULT));
    expect(drift).toMatchObject({ kind: 'prompt', change: 'the system prompt' });
    expect(drift?.detail).toBe('…You are an IT-support assistant. Answer [-concisely-]{+briefly+} and cite the IDs.');
  });

  it('leaves a request unclassified when the conversation itself has another shape or model', () => {
    const shorter = {
      ...(request('P', RESULT) as object),
      messages: (request('P', RESULT) as { messages: unknown[] }).messages.slice(0, 3),
    };
    expect(requestDrifts(request('P', RESULT), shorter)).toEqual([]);
    expect(requestDrifts(request('P', RESULT), { ...(request('P', RESULT) as object), model: 'other' })).toEqual([]);
  });

  it('shows a long value around its first difference, the difference included', () => {
    const before = `${'x'.repeat(300)}A${'y'.repeat(300)}`;
    const d = firstDiff({ text: before }, { text: before.replace('A', 'B') });
    expect(d?.path).toBe('text');
    expect(d?.recorded).toMatch(/^…x+Ay+…$/);
    expect(d?.now).toContain('xB');
  });

  it('tells a reworded description, a changed definition, a removed and an added tool apart', () => {
    const before = [
      tool('a', 'Find tickets.', { q: { type: 'string', description: 'Words.' } }),
      tool('b', 'Old.'),
      tool('gone', 'Unused.'),
    ];
    const after = [
      tool('a', 'Find support tickets.', { q: { type: 'string', description: 'Words to look for.' } }),
      tool('b', 'Old.', { n: { type: 'number' } }),
      tool('new', 'A new tool.'),
    ];
    expect(toolDrifts(before, after, []).map((d) => [d.kind, d.change, d.detail])).toEqual([
      ['tools_added', 'tool new added', 'A new tool.'],
      ['prompt', 'a description reworded', 'Find {+support+} tickets.'],
      ['prompt', 'a parameters.properties.q.description reworded', '[-Words.-]{+Words to look for.+}'],
      ['prompt', 'b definition changed', 'parameters.properties.n: recorded nothing, now {"type":"number"}'],
      ['prompt', 'tool gone no longer offered', 'no recorded call used it'],
    ]);
  });

  it('reports each change once with every scenario it touches, contract breaks first', () => {
    const failure = (kind: string, change: string, diff = 'd') => ({ code: 'x', kind, change, risk: `risk of ${kind}`, diff });
    const groups = groupDrifts([
      { id: 's1', trials: [{ replay: [failure('data', 'search_tickets result x: 1 → 2', 'call A'), { code: 'unused_turns' }] }] },
      {
        id: 's2',
        trials: [
          {
            replay: [
              failure('data', 'search_tickets result x: 1 → 2', 'call B'),
              failure('contract', 'search_tickets refuses a recorded call'),
            ],
          },
        ],
      },
      {
        id: 's3',
        trials: [
          { replay: [failure('prompt', 'the system prompt', 'diff 1')] },
          { replay: [failure('prompt', 'the system prompt', 'diff 1')] },
        ],
      },
      { id: 's4', trials: [{ replay: [failure('prompt', 'the system prompt', 'diff 2')] }] },
    ]);
    expect(groups.map((g) => [g.kind, g.change, g.detail, g.scenarios])).toEqual([
      ['contract', 'search_tickets refuses a recorded call', 'd', ['s2']],
      ['data', 'search_tickets result x: 1 → 2', 'call A', ['s1', 's2']],
      ['prompt', 'the system prompt', 'diff 1', ['s3']],
      ['prompt', 'the system prompt', 'diff 2', ['s4']],
    ]);
  });

  it('names a contract break by the tool and the problem without the schema path, keeping the path in the detail', () => {
    const drifts = contractDrifts([
      { tool: 'get_ticket', call: 'get_ticket({"id":"TKT-1"})', problem: 'unknown argument "id" (schema /additionalProperties)' },
    ]);
    expect(drifts).toEqual([
      {
        kind: 'contract',
        risk: DRIFT_RISK.contract,
        change: 'get_ticket refuses a recorded call: unknown argument "id"',
        detail: 'get_ticket({"id":"TKT-1"}): unknown argument "id" (schema /additionalProperties)',
      },
    ]);
  });

  it('leaves a removed tool that a recorded call used to the contract check, and a changed one too', () => {
    const before = [tool('used', 'U.'), tool('changed', 'C.', { a: { type: 'string' } })];
    const after = [tool('changed', 'C.', { a: { type: 'number' } })];
    const breaks = [
      { tool: 'used', call: 'used({})', problem: 'tool removed' },
      { tool: 'changed', call: 'changed({"a":"x"})', problem: 'a must be number' },
    ];
    expect(toolDrifts(before, after, breaks)).toEqual([]);
    expect(toolDrifts(before, after, []).map((d) => d.change)).toEqual(['tool used no longer offered', 'changed definition changed']);
  });

  it('finds reworded descriptions and titles at any depth, lists included, and ignores unchanged tools', () => {
    const schema = (word: string) => ({
      filters: { type: 'array', items: [{ type: 'string', title: `${word} filter` }] },
      nested: { type: 'object', properties: { deep: { type: 'string', description: `${word} deep` } } },
      title: { type: 'string', description: 'A property named title is a property, not a title.' },
    });
    const drifts = toolDrifts(
      [tool('t', 'Same.', schema('old')), tool('same', 'S.')],
      [tool('t', 'Same.', schema('new')), tool('same', 'S.')],
      [],
    );
    expect(drifts.map((d) => [d.change, d.detail])).toEqual([
      ['t parameters.properties.filters.items[0].title reworded', '[-old-]{+new+} filter'],
      ['t parameters.properties.nested.properties.deep.description reworded', '[-old-]{+new+} deep'],
    ]);
  });

  it('reads a tool list that is missing or not a list as no tools, and a nameless tool as "?"', () => {
    expect(toolDrifts(undefined, [{ function: { description: 'Nameless.' } }], []).map((d) => [d.change, d.detail])).toEqual([
      ['tool ? added', 'Nameless.'],
    ]);
    expect(toolDrifts({ not: 'a list' }, [{ function: { name: 'x' } }], []).map((d) => [d.change, d.detail])).toEqual([
      ['tool x added', ''],
    ]);
    expect(
      toolDrifts([{ function: { name: 'x' } }], [{ function: { name: 'x', description: 'Now described.' } }], []).map((d) => d.change),
    ).toEqual(['x description reworded']);
  });

  it('names a changed user turn by its start and word-diffs it', () => {
    const ask = (text: string) => ({
      model: 'm',
      messages: [
        { role: 'system', content: 'S' },
        { role: 'user', content: text },
      ],
    });
    const long = `Which critical tickets does customer CUST-001 have open right now, and who is assigned to them?`;
    const [drift] = requestDrifts(ask(long), ask(long.replace('critical', 'urgent')));
    expect(drift).toMatchObject({
      kind: 'prompt',
      change: `user turn "${long}"`,
      detail: 'Which [-critical-]{+urgent+} tickets does customer CUST-001 have open…',
    });
    const longer = `${long} ${'More words here. '.repeat(10)}`;
    const [cut] = requestDrifts(ask(longer), ask(`${longer}!`));
    expect(cut?.change).toBe(`user turn "${longer.slice(0, 40)}…"`);
  });

  it('compares a tool result as text when it is not JSON, names an unknown call by its id, and skips equal JSON written differently', () => {
    const withResult = (content: string, id = 'c1', calls = true) => ({
      model: 'm',
      messages: [
        { role: 'user', content: 'q' },
        {
          role: 'assistant',
          content: null,
          tool_calls: calls ? [{ id: 'c1', type: 'function', function: { name: 'get_asset', arguments: '{"asset_id":"A-1"}' } }] : [],
        },
        { role: 'tool', tool_call_id: id, content },
      ],
    });
    expect(requestDrifts(withResult('plain old text'), withResult('plain new text')).map((d) => d.detail)).toEqual([
      'get_asset({"asset_id":"A-1"}) → (whole value): recorded "plain old text", now "plain new text"',
    ]);
    expect(requestDrifts(withResult('{"a":1}', 'c9', false), withResult('{"a":2}', 'c9', false)).map((d) => [d.change, d.detail])).toEqual([
      ['call c9 result a: 1 → 2', 'call c9 → a: recorded 1, now 2'],
    ]);
    expect(requestDrifts(withResult('{"a":1,"b":2}'), withResult('{"b":2,"a":1}'))).toEqual([]);
    expect(
      requestDrifts(withResult('{"list":[{"v":1}]}'), withResult('{"list":[{"v":1}],"more":[[{"v":12}]]}')).map((d) => d.change),
    ).toEqual(['get_asset result more: nothing → [[{"v":12}]]']);
  });

  it('leaves unclassified a tool message that answers another call, or messages whose roles moved', () => {
    const msgs = (id: string) => ({
      messages: [
        { role: 'user', content: 'q' },
        { role: 'tool', tool_call_id: id, content: '1' },
      ],
    });
    expect(requestDrifts(msgs('c1'), msgs('c2'))).toEqual([]);
    expect(
      requestDrifts(
        {
          messages: [
            { role: 'user', content: 'a' },
            { role: 'system', content: 'b' },
          ],
        },
        {
          messages: [
            { role: 'system', content: 'b' },
            { role: 'user', content: 'a' },
          ],
        },
      ),
    ).toEqual([]);
    expect(requestDrifts({ messages: [{ role: 'assistant', content: 'a' }] }, { messages: [{ role: 'assistant', content: 'b' }] })).toEqual(
      [],
    );
    expect(requestDrifts({ messages: [{ role: 'user', content: 'a' }] }, { messages: [{ role: 'user', content: ['parts'] }] })).toEqual([]);
    expect(requestDrifts(undefined, undefined)).toEqual([]);
    expect(
      requestDrifts({ messages: [{ role: 'user', content: 'a' }] }, { messages: [{ role: 'user', content: 'a' }], tools: [1] }),
    ).toEqual([]);
  });

  it('shows a value whole up to 180 characters and around the change beyond, marking each cut side', () => {
    const fits = 'a'.repeat(177);
    expect(firstDiff(`${fits}X`, `${fits}Y`)).toEqual({
      kind: 'changed',
      path: '(whole value)',
      recorded: `"${fits}X"`,
      now: `"${fits}Y"`,
    });
    expect(firstDiff(`${fits}aX`, `${fits}aY`)?.recorded).toBe(`…${'a'.repeat(80)}X"`);
    const start = firstDiff(`X${'b'.repeat(300)}`, `Y${'b'.repeat(300)}`);
    expect(start?.recorded).toBe(`"X${'b'.repeat(79)}…`);
    const end = firstDiff(`${'c'.repeat(300)}X`, `${'c'.repeat(300)}Y`);
    expect(end?.recorded).toBe(`…${'c'.repeat(80)}X"`);
    expect(firstDiff([1, 2], [1, 3])?.path).toBe('[1]');
    expect(firstDiff({ a: [1] }, { a: { 0: 1 } })).toEqual({ kind: 'changed', path: 'a', recorded: '[1]', now: '{"0":1}' });
    expect(firstDiff({ a: null }, { a: {} })).toEqual({ kind: 'changed', path: 'a', recorded: 'null', now: '{}' });
    expect(firstDiff({ a: 1 }, { a: 1 })).toBeUndefined();
  });
});
