import { describe, expect, it } from 'vitest';
import { around, describeDiff, firstDiff, firstDifference, firstPath, listSummary, renamedKeys } from './json-diff.ts';

const ids = (...values: string[]) => values.map((id) => ({ ticket_id: id, status: 'open' }));

describe('around', () => {
  it('keeps a value of up to 180 characters whole', () => {
    const text = 'x'.repeat(180);
    expect(around(text, 90)).toBe(text);
  });

  it('cuts a longer value to 80 characters each side of the change, marking only the sides it cut', () => {
    const text = 'a'.repeat(100) + 'b'.repeat(100);
    expect(around(text, 100)).toBe(`…${'a'.repeat(80)}${'b'.repeat(80)}…`);
    expect(around(text, 10)).toBe(`${'a'.repeat(90)}…`);
    expect(around(text, 120)).toBe(`…${'a'.repeat(60)}${'b'.repeat(100)}`);
  });
});

describe('renamedKeys', () => {
  it('pairs a removed key with the one added key that has its value', () => {
    expect([...renamedKeys({ hostname: 'db-1', id: 1 }, { host_name: 'db-1', id: 1 })]).toEqual([['hostname', 'host_name']]);
    expect([...renamedKeys({ a: 1 }, { b: 1, c: 2 })]).toEqual([['a', 'b']]);
  });

  it('pairs nothing when the value is ambiguous on either side, or only a kept key has it', () => {
    expect(renamedKeys({ a: 1 }, { b: 1, c: 1 }).size).toBe(0);
    expect(renamedKeys({ a: 1, b: 1 }, { c: 1 }).size).toBe(0);
    expect(renamedKeys({ a: 1, b: 2 }, { a: 1, c: 1 }).size).toBe(0);
  });
});

describe('firstDiff: renamed keys', () => {
  it('reads a key that changed name, with the same value, as renamed', () => {
    expect(firstDiff({ asset: { hostname: 'db-1', id: 1 } }, { asset: { id: 1, host_name: 'db-1' } })).toEqual({
      kind: 'renamed',
      path: 'asset.hostname',
      to: 'host_name',
      value: '"db-1"',
    });
  });

  it("reads a key whose value is also another's, or that a kept key shares, as changed", () => {
    expect(firstDiff({ a: 1 }, { b: 1, c: 1 })).toEqual({ kind: 'changed', path: 'a', recorded: '1', now: 'nothing' });
    expect(firstDiff({ a: 1, b: 2 }, { a: 1, c: 1 })).toEqual({ kind: 'changed', path: 'b', recorded: '2', now: 'nothing' });
  });

  it('shows a renamed value whole up to 80 characters, else cut to 79 and an ellipsis', () => {
    const fits = 'v'.repeat(78);
    expect(firstDiff({ a: fits }, { b: fits })).toEqual({ kind: 'renamed', path: 'a', to: 'b', value: `"${fits}"` });
    expect(firstDiff({ a: `${fits}w` }, { b: `${fits}w` })).toEqual({ kind: 'renamed', path: 'a', to: 'b', value: `"${fits}…` });
  });
});

describe('firstDiff: lists', () => {
  it('names items inserted and removed by their ID, string or number, with their positions', () => {
    expect(firstDiff({ tickets: ids('T-1', 'T-2') }, { tickets: ids('T-1', 'T-9', 'T-2') })).toEqual({
      kind: 'list',
      path: 'tickets',
      items: [{ change: 'inserted', item: 'T-9', to: 1 }],
      recordedLength: 2,
      nowLength: 3,
    });
    expect(firstDiff([{ id: 1 }, { id: 2 }, { id: 3 }], [{ id: 1 }])).toEqual({
      kind: 'list',
      path: '(whole value)',
      items: [
        { change: 'removed', item: '2', from: 1 },
        { change: 'removed', item: '3', from: 2 },
      ],
      recordedLength: 3,
      nowLength: 1,
    });
    expect(firstDiff([{ id: 1 }], [{ id: 1 }, { id: 7 }, { id: 8 }])).toMatchObject({
      kind: 'list',
      items: [
        { change: 'inserted', item: '7', to: 1 },
        { change: 'inserted', item: '8', to: 2 },
      ],
    });
  });

  it('names an item removed from the end', () => {
    expect(firstDiff({ tickets: ids('T-1', 'T-2', 'T-3') }, { tickets: ids('T-1', 'T-2') })).toEqual({
      kind: 'list',
      path: 'tickets',
      items: [{ change: 'removed', item: 'T-3', from: 2 }],
      recordedLength: 3,
      nowLength: 2,
    });
  });

  it('names an item appended after the same items as inserted', () => {
    expect(firstDiff([1, 2], [1, 2, 3])).toEqual({
      kind: 'list',
      path: '(whole value)',
      items: [{ change: 'inserted', item: '3', to: 2 }],
      recordedLength: 2,
      nowLength: 3,
    });
  });

  it('names a moved item, and items without an ID by their whole value', () => {
    expect(firstDiff([1, 2, 3], [3, 1, 2])).toEqual({
      kind: 'list',
      path: '(whole value)',
      items: [{ change: 'moved', item: '3', from: 2, to: 0 }],
      recordedLength: 3,
      nowLength: 3,
    });
    const named = (name: string) => ({ name, status: 'open' });
    expect(firstDiff([named('a'), named('b'), named('c')], [named('c'), named('a'), named('b')])).toMatchObject({
      kind: 'list',
      items: [{ change: 'moved', item: '{"name":"c","status":"open"}', from: 2, to: 0 }],
    });
    expect(firstDiff([null, 1, 2], [2, null, 1])).toMatchObject({ kind: 'list', items: [{ change: 'moved', item: '2', from: 2, to: 0 }] });
  });

  it('identifies an item only by an ID that is a string or a number', () => {
    const item = (id: unknown, v: string) => ({ id, v });
    expect(firstDiff([item({ n: 1 }, 'a'), item({ n: 2 }, 'b')], [item({ n: 2 }, 'b'), item({ n: 1 }, 'a')])).toMatchObject({
      kind: 'list',
      items: [{ change: 'moved', item: '{"id":{"n":2},"v":"b"}', from: 1, to: 0 }],
    });
  });

  it('labels an item by its value up to 60 characters, else cut to 59 and an ellipsis', () => {
    const fits = 'x'.repeat(58);
    expect(firstDiff([1], [1, fits])).toMatchObject({ items: [{ change: 'inserted', item: `"${fits}"`, to: 1 }] });
    expect(firstDiff([1], [1, `${fits}y`])).toMatchObject({ items: [{ change: 'inserted', item: `"${fits}…`, to: 1 }] });
  });

  it('reads an item changed in place as a changed value, also when it gained an ID', () => {
    expect(firstDiff({ tickets: ids('T-1', 'T-2') }, { tickets: [...ids('T-1'), { ticket_id: 'T-2', status: 'closed' }] })).toEqual({
      kind: 'changed',
      path: 'tickets[1].status',
      recorded: '"open"',
      now: '"closed"',
    });
    expect(firstDiff([1, 2], [1, 3])).toEqual({ kind: 'changed', path: '[1]', recorded: '2', now: '3' });
    expect(firstDiff([1, 'two'], [1, { id: 'T-2' }])).toEqual({ kind: 'changed', path: '[1]', recorded: '"two"', now: '{"id":"T-2"}' });
  });

  it('diffs lists of up to a million item pairs by identity, and compares longer ones item by item', () => {
    const list = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ id: `I-${from + i}` }));
    const thousand = list(1000);
    expect(firstDiff(thousand, [...thousand.slice(1), thousand[0]])).toMatchObject({
      kind: 'list',
      items: [{ change: 'moved', item: 'I-0', from: 0, to: 999 }],
    });
    expect(firstDiff(list(1001), list(1000, 1))).toEqual({ kind: 'changed', path: '[0].id', recorded: '"I-0"', now: '"I-1"' });
  });
});

describe('firstDiff: values', () => {
  it('reads a value that became an object, or an object that became a value, as changed whole', () => {
    expect(firstDiff({ ticket: 'TKT-1' }, { ticket: { id: 'TKT-1' } })).toEqual({
      kind: 'changed',
      path: 'ticket',
      recorded: '"TKT-1"',
      now: '{"id":"TKT-1"}',
    });
    expect(firstDiff({ ticket: { id: 'TKT-1' } }, { ticket: 'TKT-1' })).toEqual({
      kind: 'changed',
      path: 'ticket',
      recorded: '{"id":"TKT-1"}',
      now: '"TKT-1"',
    });
    expect(firstDiff({ a: 1 }, null)).toEqual({ kind: 'changed', path: '(whole value)', recorded: '{"a":1}', now: 'null' });
    expect(firstDiff(null, { a: 1 })).toEqual({ kind: 'changed', path: '(whole value)', recorded: 'null', now: '{"a":1}' });
  });

  it('starts paths at the path it is given', () => {
    expect(firstDiff({ a: 1 }, { a: 2 }, 'result')).toEqual({ kind: 'changed', path: 'result.a', recorded: '1', now: '2' });
  });
});

describe('firstDifference', () => {
  it('reads the exact path, never a rename', () => {
    expect(firstDifference({ a: 1 }, { b: 1 })).toBe('a:\n    recorded: 1\n    now:      nothing');
  });

  it('shows a value whole up to 160 characters, else cut to 159 and an ellipsis', () => {
    const fits = 'q'.repeat(158);
    expect(firstDifference({ a: fits }, { a: 1 })).toBe(`a:\n    recorded: "${fits}"\n    now:      1`);
    expect(firstDifference({ a: `${fits}r` }, { a: 1 })).toBe(`a:\n    recorded: "${fits}…\n    now:      1`);
  });
});

describe('describing a difference', () => {
  it("tells a changed value, a rename and a list's items, with the evidence", () => {
    expect(firstPath({ a: { b: 1 } }, { a: { b: 2 } })).toBe('a.b: recorded 1, now 2');
    expect(firstPath({ x: 1 }, { x: 1 })).toBeUndefined();
    expect(describeDiff({ kind: 'renamed', path: 'hostname', to: 'host_name', value: '"db-1"' })).toBe(
      'hostname renamed host_name (same value "db-1")',
    );
    const items = [
      { change: 'inserted', item: 'T-9', to: 1 },
      { change: 'moved', item: 'T-3', from: 2, to: 0 },
      { change: 'removed', item: 'T-4', from: 3 },
    ] as const;
    expect(describeDiff({ kind: 'list', path: 'tickets', items, recordedLength: 4, nowLength: 4 })).toBe(
      'tickets: T-9 inserted at [1], T-3 moved from [2] to [0], T-4 removed from [3] (4 items recorded, 4 now)',
    );
    expect(listSummary(items)).toBe('T-9 inserted, T-3 moved, T-4 removed');
  });
});
