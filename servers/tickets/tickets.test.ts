import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/shared/clock.ts';
import { connectInMemory } from '../kit/testing.ts';
import { buildServer } from './server.ts';

type Session = Awaited<ReturnType<typeof connectInMemory>>;
let s: Session;
beforeAll(async () => {
  s = await connectInMemory(buildServer);
});
afterAll(() => s.close());

const ids = (tickets: { ticket_id: string }[]) => tickets.map((t) => t.ticket_id.slice(4)).sort();

describe('ticket server', () => {
  it('lists exactly the four ticket tools', async () => {
    const { tools } = await s.client.listTools();
    expect(tools.map((t) => t.name)).toEqual(['search_tickets', 'get_ticket_details', 'get_ticket_metrics', 'find_similar_tickets']);
  });

  it('finds the two critical tickets of CUST-001 (the worked example)', async () => {
    const r = await s.call('search_tickets', { customer_id: 'CUST-001', priority: 'critical' });
    expect(r.isError).toBe(false);
    expect(r.data.tickets.map((t: { ticket_id: string }) => t.ticket_id)).toEqual(['TKT-1001', 'TKT-1004']);
    expect(r.data.total_count).toBe(2);
    expect(r.data.filters_applied).toEqual({ customer_id: 'CUST-001', priority: 'critical' });
  });

  it('has five critical tickets in all', async () => {
    const r = await s.call('search_tickets', { priority: 'critical' });
    expect(ids(r.data.tickets)).toEqual(['1001', '1002', '1004', '1009', '1011']);
  });

  it.each([
    ['BSOD', ['1001']],
    ['blue screen', ['1001']],
    ['network', ['1004', '1008']],
    ['disk', ['1002', '1008']],
    ['ssh', ['1007']],
    ['vpn', ['1013']],
    ['windows', ['1001', '1004', '1006', '1009', '1011', '1014']],
    ['linux', ['1002', '1005', '1007', '1010', '1012', '1015']],
    ['kernel', ['1003', '1015']],
    ['performance', ['1004', '1006', '1007', '1012']],
    ['dns', ['1007', '1013']],
    ['backup', ['1008']],
    ['critical', ['1001']],
    ['driver', ['1001', '1015']],
    ['bitlocker', ['1009']],
    ['update', ['1003', '1005', '1009', '1013', '1015']],
    ['server', ['1002', '1004', '1007', '1010', '1011', '1012']],
    ['macos', ['1003', '1008', '1013']],
    ['slow', ['1004', '1007', '1012']],
    ['cpu', ['1012']],
    ['migration', ['1010']],
  ])('query "%s" matches the reference tickets', async (query, expected) => {
    const r = await s.call('search_tickets', { query });
    expect(ids(r.data.tickets)).toEqual(expected);
  });

  it('ranks tickets that match more query words first', async () => {
    const r = await s.call('search_tickets', { query: 'Windows BSOD' });
    expect(r.data.tickets[0].ticket_id).toBe('TKT-1001');
    expect(r.data.total_count).toBe(6);
  });

  it.each([
    [{ os: 'windows' }, ['1001', '1004', '1006', '1009', '1011', '1014']],
    [{ os: 'linux' }, ['1002']],
    [{ os: 'macOS' }, ['1003', '1008', '1013']],
    [{ category: 'Network' }, ['1004', '1007', '1013']],
    [{ start_date: '2025-10-03' }, ['1004', '1006', '1007', '1012', '1013', '1014']],
    [{ start_date: '2025-09-29', end_date: '2025-09-30' }, ['1005', '1011']],
    [{ status: 'open' }, ['1001', '1004', '1007', '1008', '1010', '1013', '1014']],
    [{ assignee: 'jane' }, ['1002', '1007', '1015']],
  ])('filter %j matches the reference tickets', async (args, expected) => {
    const r = await s.call('search_tickets', args);
    expect(ids(r.data.tickets)).toEqual(expected);
  });

  it('answers an empty search with a hint, not an error', async () => {
    const r = await s.call('search_tickets', { customer_id: 'CUST-003', priority: 'critical' });
    expect(r.isError).toBe(false);
    expect(r.data.total_count).toBe(0);
    expect(r.data.hint).toMatch(/Remove a filter/);
  });

  it('rejects a reversed date range with an envelope naming both dates', async () => {
    const r = await s.call('search_tickets', { start_date: '2025-10-05', end_date: '2025-10-01' });
    expect(r.isError).toBe(true);
    expect(r.data.error).toBe('Invalid date range');
    expect(r.data.context).toEqual({ start_date: '2025-10-05', end_date: '2025-10-01' });
  });

  it('returns a full ticket by ID', async () => {
    const r = await s.call('get_ticket_details', { ticket_id: 'TKT-1003' });
    expect(r.data.subject).toBe('macOS Sonoma kernel panic on wake from sleep');
    expect(r.data.resolution).toMatch(/SMC and NVRAM/);
    expect(r.data.tags).toEqual(['macos', 'kernel-panic', 'sleep', 'resolved']);
  });

  it('returns a retryable envelope when the ticket does not exist', async () => {
    const r = await s.call('get_ticket_details', { ticket_id: 'TKT-9999' });
    expect(r.isError).toBe(true);
    expect(r.data).toMatchObject({
      error: 'Ticket TKT-9999 not found',
      retryable: true,
      follow_up_tools: ['search_tickets'],
      context: { ticket_id: 'TKT-9999' },
    });
    expect(r.structured).toEqual(r.data);
  });

  it('rejects a malformed ticket ID with the expected format', async () => {
    const r = await s.call('get_ticket_details', { ticket_id: '1001' });
    expect(r.isError).toBe(true);
    expect(r.data.reason).toContain("'ticket_id' must look like TKT-1001");
    expect(r.data.context.expected_arguments).toEqual(['ticket_id (string, required, pattern ^TKT-\\d{4}$)']);
  });

  it('names a missing required argument', async () => {
    const r = await s.call('get_ticket_details', {});
    expect(r.data.reason).toBe("missing required argument 'ticket_id'.");
  });

  it.each([
    ['last_7_days', '2025-09-28', 14, 6, 5, 3, 56],
    ['last_30_days', '2025-09-05', 15, 7, 5, 3, 56],
    ['last_90_days', '2025-07-07', 15, 7, 5, 3, 56],
    ['all_time', '2000-01-01', 15, 7, 5, 3, 56],
  ])('metrics for %s at the dataset date', async (period, start, total, open, progress, resolved, avg) => {
    const r = await s.call('get_ticket_metrics', { time_period: period });
    expect(r.data).toMatchObject({
      time_period: period,
      start_date: start,
      end_date: '2025-10-05',
      total_tickets: total,
      open_tickets: open,
      in_progress_tickets: progress,
      resolved_tickets: resolved,
      avg_resolution_time_hours: avg,
    });
  });

  it('defaults metrics to the last 7 days and follows the clock', async () => {
    const later = await connectInMemory(buildServer, fixedClock('2025-10-06T12:00:00Z'));
    const r = await later.call('get_ticket_metrics', {});
    await later.close();
    expect(r.data).toMatchObject({
      time_period: 'last_7_days',
      start_date: '2025-09-29',
      total_tickets: 13,
      open_tickets: 6,
      in_progress_tickets: 5,
      resolved_tickets: 2,
      avg_resolution_time_hours: 24,
    });
  });

  it('ranks tickets similar to TKT-1001', async () => {
    const r = await s.call('find_similar_tickets', { ticket_id: 'TKT-1001', limit: 8 });
    const got = r.data.similar_tickets.map((t: { ticket_id: string; similarity_score: number }) => [t.ticket_id, t.similarity_score]);
    expect(got).toEqual([
      ['TKT-1014', 70],
      ['TKT-1009', 50],
      ['TKT-1002', 40],
      ['TKT-1003', 30],
      ['TKT-1006', 20],
      ['TKT-1004', 10],
      ['TKT-1011', 10],
    ]);
    expect(r.data.similar_tickets[0].common_tags).toEqual(['windows']);
    expect(r.data.total_found).toBe(7);
  });

  it('cuts similar tickets to the default limit of five', async () => {
    const r = await s.call('find_similar_tickets', { ticket_id: 'TKT-1005' });
    const got = r.data.similar_tickets.map((t: { ticket_id: string; similarity_score: number }) => [t.ticket_id, t.similarity_score]);
    expect(got).toEqual([
      ['TKT-1003', 30],
      ['TKT-1007', 30],
      ['TKT-1015', 30],
      ['TKT-1002', 20],
      ['TKT-1010', 20],
    ]);
  });

  it('rejects a zero limit with the allowed range', async () => {
    const r = await s.call('find_similar_tickets', { ticket_id: 'TKT-1001', limit: 0 });
    expect(r.isError).toBe(true);
    expect(r.data.reason).toContain("'limit' must be at least 1");
  });

  it('rejects unknown arguments and lists the expected ones', async () => {
    const r = await s.call('search_tickets', { priority: 'high', team: 'blue' });
    expect(r.isError).toBe(true);
    expect(r.data.reason).toBe("unknown argument 'team'.");
    expect(r.data.context.expected_arguments).toContain('priority (string, optional, one of critical|high|medium|low)');
  });
});
