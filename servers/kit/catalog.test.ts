import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { buildServer as assets } from '../assets/server.ts';
import { buildServer as kb } from '../kb/server.ts';
import { buildServer as tickets } from '../tickets/server.ts';
import { connectInMemory } from './testing.ts';

type Session = Awaited<ReturnType<typeof connectInMemory>>;
const open: Session[] = [];
async function session(build: typeof tickets): Promise<Session> {
  const s = await connectInMemory(build);
  open.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function rejection(call: Promise<unknown>): Promise<McpError> {
  try {
    await call;
  } catch (error) {
    expect(error).toBeInstanceOf(McpError);
    return error as McpError;
  }
  throw new Error('expected the request to fail');
}

describe('resources, prompts, completion and logging of the servers', () => {
  it('lists records as resources a page of 10 at a time, with a template per collection', async () => {
    const { client } = await session(tickets);
    const first = await client.listResources();
    expect(first.resources).toHaveLength(10);
    expect(first.resources[0]).toEqual({
      uri: 'helpdesk://tickets/TKT-1001',
      name: 'TKT-1001',
      title: expect.stringMatching(/^TKT-1001: /),
      mimeType: 'application/json',
    });
    expect(first.nextCursor).toBe('10');
    const second = await client.listResources({ cursor: first.nextCursor });
    expect(second.resources.map((r) => r.name)).toEqual(['TKT-1011', 'TKT-1012', 'TKT-1013', 'TKT-1014', 'TKT-1015']);
    expect(second.nextCursor).toBeUndefined();
    expect((await rejection(client.listResources({ cursor: 'x' }))).code).toBe(-32602);
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates).toEqual([
      expect.objectContaining({ uriTemplate: 'helpdesk://tickets/{ticket_id}', name: 'ticket', mimeType: 'application/json' }),
    ]);
  });

  it('reads a record by URI (JSON or Markdown) and answers an unknown one with -32002 naming it', async () => {
    const { client } = await session(tickets);
    const ticket = await client.readResource({ uri: 'helpdesk://tickets/TKT-1001' });
    expect(JSON.parse((ticket.contents[0] as { text: string }).text)).toMatchObject({ ticket_id: 'TKT-1001', priority: 'critical' });
    const articles = await session(kb);
    const article = await articles.client.readResource({ uri: 'helpdesk://kb/KB-001' });
    expect(article.contents[0]).toMatchObject({ mimeType: 'text/markdown', text: expect.stringMatching(/^# /) });
    const missing = await rejection(client.readResource({ uri: 'helpdesk://tickets/TKT-9999' }));
    expect(missing.code).toBe(-32002);
    expect(missing.message).toContain('Resource not found: helpdesk://tickets/TKT-9999');
  });

  it('offers prompts with typed arguments, fills them in, and refuses a missing or unknown value', async () => {
    const { client } = await session(tickets);
    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => [p.name, p.arguments?.map((a) => `${a.name}${a.required ? '*' : ''}`)])).toEqual([
      ['triage_ticket', ['ticket_id*']],
      ['priority_report', ['priority*']],
    ]);
    const triage = await client.getPrompt({ name: 'triage_ticket', arguments: { ticket_id: 'tkt-1001' } });
    expect(triage.messages[0]?.content).toMatchObject({ type: 'text', text: expect.stringContaining('Triage support ticket TKT-1001') });
    expect((await rejection(client.getPrompt({ name: 'triage_ticket', arguments: {} }))).message).toContain(
      'Missing required argument "ticket_id" of prompt triage_ticket',
    );
    expect((await rejection(client.getPrompt({ name: 'triage_ticket', arguments: { ticket_id: 'TKT-9' } }))).message).toContain(
      'Unknown ticket "TKT-9"',
    );
    expect((await rejection(client.getPrompt({ name: 'nope' }))).message).toContain(
      'Unknown prompt "nope"; prompts: triage_ticket, priority_report',
    );
  });

  it('completes prompt arguments and template variables by prefix, case-insensitively', async () => {
    const { client } = await session(tickets);
    const priorities = await client.complete({
      ref: { type: 'ref/prompt', name: 'priority_report' },
      argument: { name: 'priority', value: 'c' },
    });
    expect(priorities.completion).toEqual({ values: ['critical'], total: 1, hasMore: false });
    const ids = await client.complete({
      ref: { type: 'ref/resource', uri: 'helpdesk://tickets/{ticket_id}' },
      argument: { name: 'ticket_id', value: 'tkt-101' },
    });
    expect(ids.completion.values).toEqual(['TKT-1010', 'TKT-1011', 'TKT-1012', 'TKT-1013', 'TKT-1014', 'TKT-1015']);
    const assetIds = await (await session(assets)).client.complete({
      ref: { type: 'ref/prompt', name: 'asset_review' },
      argument: { name: 'asset_id', value: 'AST-STOR' },
    });
    expect(assetIds.completion.values.every((v) => v.startsWith('AST-STOR'))).toBe(true);
    expect(assetIds.completion.total).toBeGreaterThan(0);
  });

  it('sends a log notification per tool call at or above the level the client set', async () => {
    const { client, call } = await session(tickets);
    const seen: { level: string; data: unknown }[] = [];
    client.setNotificationHandler((await import('@modelcontextprotocol/sdk/types.js')).LoggingMessageNotificationSchema, (n) => {
      seen.push({ level: n.params.level, data: n.params.data });
    });
    await client.setLoggingLevel('warning');
    await call('get_ticket_details', { ticket_id: 'TKT-1001' });
    await call('get_ticket_details', { ticket_id: 42 });
    await new Promise((r) => setTimeout(r, 20));
    expect(seen).toEqual([{ level: 'warning', data: { event: 'invalid_arguments', tool: 'get_ticket_details' } }]);
    await client.setLoggingLevel('info');
    await call('get_ticket_details', { ticket_id: 'TKT-1001' });
    await new Promise((r) => setTimeout(r, 20));
    expect(seen.at(-1)).toEqual({ level: 'info', data: { event: 'tool_call', tool: 'get_ticket_details', ok: true } });
  });
});
