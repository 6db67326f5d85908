import { afterEach, describe, expect, it } from 'vitest';
import { builtinServers } from '../../src/orchestrator/builtin-servers.ts';
import { TOOL_RESULT_MAX_BYTES } from '../../src/orchestrator/constants.ts';
import { ServerPool } from '../../src/orchestrator/server-pool.ts';
import type { Fault } from '../../src/harness/faults/fault.ts';
import { FaultPlan } from '../../src/harness/faults/plan.ts';
import { DATASET_NOW } from '../../src/shared/clock.ts';
import { isAlive, stillAlive } from '../../src/shared/processes.ts';

const opened: ServerPool[] = [];
const plans: FaultPlan[] = [];

/** Tickets and customers behind a fault plan; every process the plan saw must be gone after close. */
async function faulted(faults: Fault[], toolTimeoutMs = 5_000): Promise<{ pool: ServerPool; plan: FaultPlan }> {
  const servers = builtinServers(process.execPath);
  const plan = new FaultPlan(faults);
  const pool = await ServerPool.open(
    { tickets: servers.tickets!, customers: servers.customers! },
    { baseEnv: { HELPDESK_NOW: DATASET_NOW }, toolTimeoutMs, wrapTransport: plan.wrap },
  );
  opened.push(pool);
  plans.push(plan);
  return { pool, plan };
}

const TICKET_ARGS = { ticket_id: 'TKT-1001' };

afterEach(async () => {
  await Promise.allSettled(opened.splice(0).map((pool) => pool.close()));
  const pids = plans.splice(0).flatMap((plan) => [...plan.pids]);
  expect(await stillAlive(pids, 1_000), 'server processes left running').toEqual([]);
});

describe('faults injected between the pool and the servers', () => {
  it('kills the server during a crash-faulted call: the call gets the retryable crash envelope and the next call a restarted server', async () => {
    const { pool, plan } = await faulted([{ kind: 'crash', server: 'tickets', tool: 'get_ticket_details', call: 1 }]);
    const [firstPid] = pool.pids();
    const crashed = await pool.callTool('get_ticket_details', TICKET_ARGS);
    expect(crashed.envelope).toMatchObject({ error: 'Server tickets stopped during the call to get_ticket_details', retryable: true });
    expect(isAlive(firstPid as number)).toBe(false);
    const again = await pool.callTool('get_ticket_details', TICKET_ARGS);
    expect(again.envelope).toBeUndefined();
    expect(again.content).toContain('TKT-1001');
    expect(plan.injections).toEqual([{ fault: 1, kind: 'crash', server: 'tickets', tool: 'get_ticket_details', call: 1 }]);
    expect(plan.pids.size).toBe(3);
    const customers = await pool.callTool('lookup_customer', { customer_id: 'CUST-001' });
    expect(customers.envelope).toBeUndefined();
  });

  it('answers a hang-faulted call with the timeout envelope, and the same server answers the next call', async () => {
    const { pool } = await faulted([{ kind: 'hang', tool: 'get_ticket_details', call: 1 }], 400);
    const hung = await pool.callTool('get_ticket_details', TICKET_ARGS);
    expect(hung.envelope).toMatchObject({ error: 'Tool get_ticket_details timed out', context: { server: 'tickets', timeout_ms: 400 } });
    expect(hung.durationMs).toBeGreaterThanOrEqual(390);
    expect((await pool.callTool('get_ticket_details', TICKET_ARGS)).envelope).toBeUndefined();
    expect(pool.servers().every((s) => s.restarts === 0)).toBe(true);
  });

  it('delays a slow-faulted answer by delay_ms and delivers it unchanged', async () => {
    const { pool } = await faulted([{ kind: 'slow', tool: 'get_ticket_details', delay_ms: 300 }]);
    const slow = await pool.callTool('get_ticket_details', TICKET_ARGS);
    expect(slow.envelope).toBeUndefined();
    expect(slow.content).toContain('TKT-1001');
    expect(slow.durationMs).toBeGreaterThanOrEqual(295);
  });

  it('turns garbage on the wire into a "not a valid tool result" envelope and keeps the server', async () => {
    const { pool } = await faulted([{ kind: 'garbage', tool: 'get_ticket_details', call: 1 }]);
    const garbage = await pool.callTool('get_ticket_details', TICKET_ARGS);
    expect(garbage.envelope).toMatchObject({
      error: 'Error calling tool get_ticket_details',
      reason: 'The tickets server answered with something that is not a valid tool result.',
    });
    expect(pool.servers().find((s) => s.name === 'tickets')?.stderrTail).toContain('wrote a line that is not JSON');
    expect((await pool.callTool('get_ticket_details', TICKET_ARGS)).envelope).toBeUndefined();
  });

  it('passes a protocol error and a tool error on as envelopes with the given message', async () => {
    const { pool } = await faulted([
      { kind: 'protocol_error', tool: 'get_ticket_details', message: 'database locked' },
      { kind: 'tool_error', tool: 'lookup_customer' },
    ]);
    const protocol = await pool.callTool('get_ticket_details', TICKET_ARGS);
    expect(protocol.envelope).toMatchObject({
      error: 'Error calling tool get_ticket_details',
      reason: 'MCP error -32603: database locked',
    });
    const tool = await pool.callTool('lookup_customer', { customer_id: 'CUST-001' });
    expect(tool.envelope).toMatchObject({
      error: 'Tool lookup_customer reported an error',
      reason: 'Internal server error',
      context: { server: 'customers' },
    });
  });

  it('replaces an oversized result by the result-too-large envelope naming its size', async () => {
    const { pool } = await faulted([{ kind: 'oversized', tool: 'get_ticket_details', size_bytes: 3_000_000 }]);
    const big = await pool.callTool('get_ticket_details', TICKET_ARGS);
    expect(big.envelope).toMatchObject({
      error: 'Result of get_ticket_details is too large',
      context: { server: 'tickets', tool: 'get_ticket_details', bytes: 3_000_000, limit_bytes: TOOL_RESULT_MAX_BYTES },
    });
    expect(big.content.length).toBeLessThan(2_000);
  });

  it('drops the connection during a disconnect-faulted call; the call is not sent again and the server restarts for the next', async () => {
    const { pool, plan } = await faulted([{ kind: 'disconnect', server: 'tickets', call: 1 }]);
    const dropped = await pool.callTool('get_ticket_details', TICKET_ARGS);
    expect(dropped.envelope?.error).toBe('Server tickets stopped during the call to get_ticket_details');
    expect(plan.injections).toHaveLength(1);
    expect((await pool.callTool('search_tickets', { priority: 'critical' })).envelope).toBeUndefined();
    expect(pool.servers().find((s) => s.name === 'tickets')).toMatchObject({ state: 'ready', restarts: 1 });
  });

  it('hits the same calls for the same seed and different ones for another seed', async () => {
    const hits = (seed: number) => {
      const plan = new FaultPlan([{ kind: 'tool_error', tool: 'get_ticket_details', probability: 0.5, seed }]);
      return Array.from({ length: 40 }, () => plan.decide('tickets', 'get_ticket_details') !== undefined);
    };
    expect(hits(7)).toEqual(hits(7));
    expect(hits(7)).not.toEqual(hits(8));
    const share = hits(7).filter(Boolean).length / 40;
    expect(share).toBeGreaterThan(0.25);
    expect(share).toBeLessThan(0.75);
  });

  it('counts the nth call per fault over matching calls only, and lets the first firing fault win', () => {
    const plan = new FaultPlan([
      { kind: 'hang', server: 'tickets', call: 2 },
      { kind: 'crash', tool: 'get_ticket_details' },
    ]);
    expect(plan.decide('customers', 'get_ticket_details')?.kind).toBe('crash');
    expect(plan.decide('tickets', 'search_tickets')).toBeUndefined();
    expect(plan.decide('tickets', 'get_ticket_details')?.kind).toBe('hang');
    expect(plan.decide('tickets', 'get_ticket_details')?.kind).toBe('crash');
    expect(plan.injections.map((i) => `${i.fault}:${i.kind}:${i.server}.${i.tool}#${i.call}`)).toEqual([
      '2:crash:customers.get_ticket_details#1',
      '1:hang:tickets.get_ticket_details#2',
      '2:crash:tickets.get_ticket_details#3',
    ]);
  });
});
