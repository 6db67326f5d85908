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

const ID_TOOLS = ['check_customer_status', 'get_sla_terms', 'list_customer_contacts'] as const;

const TECHCORP = {
  customer_id: 'CUST-001',
  company_name: 'TechCorp Industries',
  email: 'support@techcorp.com',
  phone: '+1-555-0101',
  tier: 'premium',
  status: 'active',
  account_manager: 'Alice Johnson',
  created_date: '2023-05-15',
  last_activity: '2025-10-05',
  sla_terms: {
    level: 'platinum',
    response_time_hours: 1,
    resolution_time_hours: 8,
    support_hours: '24/7',
    dedicated_support: true,
    escalation_contacts: ['manager@techcorp.com', 'cto@techcorp.com'],
  },
  contacts: [
    { name: 'David Chen', email: 'david.chen@techcorp.com', role: 'IT Director', phone: '+1-555-0102' },
    { name: 'Maria Garcia', email: 'maria.g@techcorp.com', role: 'Systems Administrator', phone: '+1-555-0103' },
  ],
};

describe('customer server', () => {
  it('lists exactly the four customer tools', async () => {
    const { tools } = await s.client.listTools();
    expect(tools.map((t) => t.name)).toEqual(['lookup_customer', 'check_customer_status', 'get_sla_terms', 'list_customer_contacts']);
  });

  it('does not promise customer statuses the data does not have', async () => {
    const { tools } = await s.client.listTools();
    for (const tool of tools) expect(tool.description).not.toMatch(/suspend/i);
  });

  it('returns the full TechCorp record by customer ID', async () => {
    const r = await s.call('lookup_customer', { customer_id: 'CUST-001' });
    expect(r.isError).toBe(false);
    expect(r.data).toEqual(TECHCORP);
    expect(r.structured).toEqual(r.data);
  });

  it.each(['TechCorp', 'techcorp', 'TECHCORP INDUSTRIES', 'Corp Ind'])('resolves company name "%s" to CUST-001', async (company_name) => {
    const r = await s.call('lookup_customer', { company_name });
    expect(r.data.customer_id).toBe('CUST-001');
    expect(r.data.company_name).toBe('TechCorp Industries');
  });

  it('returns the first of several company-name matches and names the others', async () => {
    const r = await s.call('lookup_customer', { company_name: 'corp' });
    expect(r.data.customer_id).toBe('CUST-001');
    expect(r.data.other_matches).toEqual([{ customer_id: 'CUST-007', company_name: 'MegaCorp International' }]);
  });

  it('leaves other_matches out when only one customer matches', async () => {
    const r = await s.call('lookup_customer', { company_name: 'DataFlow' });
    expect(r.data.customer_id).toBe('CUST-002');
    expect(r.data).not.toHaveProperty('other_matches');
  });

  it('matches an email address whole and regardless of case', async () => {
    const r = await s.call('lookup_customer', { email: 'ItSupport@MegaCorp.com' });
    expect(r.data).toMatchObject({ customer_id: 'CUST-007', company_name: 'MegaCorp International', tier: 'premium' });
    const partial = await s.call('lookup_customer', { email: 'megacorp.com' });
    expect(partial.isError).toBe(true);
    expect(partial.data.context).toEqual({ search_criteria: { email: 'megacorp.com' } });
  });

  it('finds a customer when every given criterion agrees', async () => {
    const r = await s.call('lookup_customer', {
      customer_id: 'CUST-005',
      email: 'tech@cloudfirst.cloud',
      company_name: 'cloud',
    });
    expect(r.data).toMatchObject({ customer_id: 'CUST-005', company_name: 'CloudFirst Inc', account_manager: 'Bob Martinez' });
  });

  it('answers contradictory criteria with a not-found envelope instead of another customer', async () => {
    const r = await s.call('lookup_customer', { customer_id: 'CUST-002', company_name: 'TechCorp' });
    expect(r.isError).toBe(true);
    expect(r.data).toMatchObject({
      error: 'Customer not found',
      retryable: true,
      follow_up_tools: ['lookup_customer'],
      context: { search_criteria: { customer_id: 'CUST-002', company_name: 'TechCorp' } },
    });
    expect(r.data.suggested_actions).toHaveLength(2);
    expect(r.data).not.toHaveProperty('search_criteria');
    expect(r.structured).toEqual(r.data);
  });

  it('returns a retryable envelope when no customer has the ID', async () => {
    const r = await s.call('lookup_customer', { customer_id: 'CUST-999' });
    expect(r.isError).toBe(true);
    expect(r.data).toMatchObject({
      error: 'Customer not found',
      retryable: true,
      follow_up_tools: ['lookup_customer'],
      context: { search_criteria: { customer_id: 'CUST-999' } },
    });
  });

  it('asks for a criterion when lookup_customer gets none, naming the three arguments', async () => {
    const r = await s.call('lookup_customer', {});
    expect(r.isError).toBe(true);
    expect(r.data).toMatchObject({ error: 'No search criteria given', retryable: true, follow_up_tools: ['lookup_customer'] });
    expect(r.data.context).toEqual({
      expected_arguments: [
        'customer_id (string, optional, pattern ^CUST-\\d{3}$)',
        'email (string, optional)',
        'company_name (string, optional)',
      ],
    });
  });

  it.each([
    [{ customer_id: 'CUST-1' }, '\'customer_id\' must look like CUST-001 (got "CUST-1").'],
    [{ email: 42 }, "'email' must be a string (got 42)."],
    [{ company_name: '' }, '\'company_name\' must be at least 1 character long (got "").'],
    [{ company_name: 'x'.repeat(201) }, "'company_name' must be at most 200 characters long (got 201 characters)."],
    [{ company_name: 'TechCorp', name: 'TechCorp' }, "unknown argument 'name'."],
    [{ customer_id: null }, "'customer_id' must be a string (got null)."],
  ])('rejects lookup_customer arguments %j with a precise reason', async (args, reason) => {
    const r = await s.call('lookup_customer', args);
    expect(r.isError).toBe(true);
    expect(r.data).toMatchObject({ error: 'Invalid arguments for lookup_customer', retryable: true, reason });
    expect(r.data.context.expected_arguments).toHaveLength(3);
  });

  it('summarises the account status of CUST-003', async () => {
    const r = await s.call('check_customer_status', { customer_id: 'CUST-003' });
    expect(r.isError).toBe(false);
    expect(r.data).toEqual({
      customer_id: 'CUST-003',
      company_name: 'Global Enterprises Ltd',
      status: 'active',
      tier: 'standard',
      account_manager: 'Carol White',
      last_activity: '2025-10-03',
      created_date: '2024-01-10',
    });
  });

  it.each([
    ['CUST-001', 'premium', 'Alice Johnson', '2023-05-15', '2025-10-05'],
    ['CUST-002', 'premium', 'Bob Martinez', '2022-11-20', '2025-10-05'],
    ['CUST-003', 'standard', 'Carol White', '2024-01-10', '2025-10-03'],
    ['CUST-004', 'standard', 'Alice Johnson', '2023-08-22', '2025-10-05'],
    ['CUST-005', 'premium', 'Bob Martinez', '2022-03-15', '2025-10-05'],
    ['CUST-006', 'basic', 'Carol White', '2024-06-01', '2025-10-02'],
    ['CUST-007', 'premium', 'Alice Johnson', '2021-09-10', '2025-10-05'],
    ['CUST-008', 'standard', 'Bob Martinez', '2024-02-28', '2025-09-30'],
  ])('reports %s as an active %s account of %s', async (id, tier, manager, created, last) => {
    const r = await s.call('check_customer_status', { customer_id: id });
    expect(r.data).toMatchObject({
      customer_id: id,
      status: 'active',
      tier,
      account_manager: manager,
      created_date: created,
      last_activity: last,
    });
  });

  it('answers the same at another clock date, since no customer tool reads the clock', async () => {
    const later = await connectInMemory(buildServer, fixedClock('2026-11-20T08:00:00Z'));
    const status = await later.call('check_customer_status', { customer_id: 'CUST-008' });
    const sla = await later.call('get_sla_terms', { customer_id: 'CUST-008' });
    await later.close();
    expect(status.data).toMatchObject({ status: 'active', last_activity: '2025-09-30' });
    expect(sla.data.sla_terms.level).toBe('silver');
  });

  it('returns the platinum SLA of CUST-001', async () => {
    const r = await s.call('get_sla_terms', { customer_id: 'CUST-001' });
    expect(r.isError).toBe(false);
    expect(r.data).toEqual({
      customer_id: 'CUST-001',
      company_name: 'TechCorp Industries',
      tier: 'premium',
      sla_terms: {
        level: 'platinum',
        response_time_hours: 1,
        resolution_time_hours: 8,
        support_hours: '24/7',
        dedicated_support: true,
        escalation_contacts: ['manager@techcorp.com', 'cto@techcorp.com'],
      },
    });
  });

  it.each([
    ['CUST-001', 'platinum', 1, 8, '24/7', true, ['manager@techcorp.com', 'cto@techcorp.com']],
    ['CUST-002', 'gold', 2, 16, '24/7', true, ['ops@dataflow.io']],
    ['CUST-003', 'silver', 4, 24, 'Business hours (9-5 EST)', false, ['it.manager@globalent.com']],
    ['CUST-004', 'silver', 4, 24, 'Extended hours (7-9 EST)', false, ['admin@innovatesys.net']],
    ['CUST-005', 'platinum', 1, 8, '24/7', true, ['ceo@cloudfirst.cloud', 'cto@cloudfirst.cloud']],
    ['CUST-006', 'bronze', 8, 48, 'Business hours (9-5 EST)', false, []],
    ['CUST-007', 'gold', 2, 12, '24/7', true, ['director@megacorp.com']],
    ['CUST-008', 'silver', 4, 24, 'Extended hours (7-9 EST)', false, ['founder@startuphub.io']],
  ])('gives %s a %s SLA with the reference hours', async (id, level, response, resolution, hours, dedicated, escalation) => {
    const r = await s.call('get_sla_terms', { customer_id: id });
    expect(r.data.sla_terms).toEqual({
      level,
      response_time_hours: response,
      resolution_time_hours: resolution,
      support_hours: hours,
      dedicated_support: dedicated,
      escalation_contacts: escalation,
    });
  });

  it('lists the three MegaCorp contacts in data order', async () => {
    const r = await s.call('list_customer_contacts', { customer_id: 'CUST-007' });
    expect(r.isError).toBe(false);
    expect(r.data).toEqual({
      customer_id: 'CUST-007',
      company_name: 'MegaCorp International',
      total_contacts: 3,
      contacts: [
        { name: 'Patricia Lee', email: 'patricia.l@megacorp.com', role: 'Director of IT', phone: '+1-555-0702' },
        { name: 'Daniel Kim', email: 'daniel.k@megacorp.com', role: 'Senior SysAdmin', phone: '+1-555-0703' },
        { name: 'Jennifer Park', email: 'jennifer.p@megacorp.com', role: 'Network Specialist', phone: '+1-555-0704' },
      ],
    });
  });

  it.each([
    ['CUST-001', ['David Chen', 'Maria Garcia']],
    ['CUST-002', ['Sarah Williams', 'James Liu']],
    ['CUST-003', ['Robert Taylor']],
    ['CUST-004', ['Emily Brown', 'Michael Davis']],
    ['CUST-005', ['Lisa Anderson', 'Tom Wilson']],
    ['CUST-006', ['Kevin Martinez']],
    ['CUST-008', ['Alex Thompson']],
  ])('lists the contacts of %s', async (id, names) => {
    const r = await s.call('list_customer_contacts', { customer_id: id });
    expect(r.data.contacts.map((c: { name: string }) => c.name)).toEqual(names);
    expect(r.data.total_contacts).toBe(names.length);
  });

  it.each([
    ['check_customer_status', 2],
    ['get_sla_terms', 2],
    ['list_customer_contacts', 1],
  ])('%s returns a retryable envelope when the customer does not exist', async (tool, actions) => {
    const r = await s.call(tool, { customer_id: 'CUST-999' });
    expect(r.isError).toBe(true);
    expect(r.data).toMatchObject({
      error: 'Customer CUST-999 not found',
      retryable: true,
      follow_up_tools: ['lookup_customer'],
      context: { customer_id: 'CUST-999' },
    });
    expect(r.data.suggested_actions).toHaveLength(actions);
    expect(r.data).not.toHaveProperty('customer_id');
    expect(r.structured).toEqual(r.data);
  });

  it.each(ID_TOOLS)('%s rejects a malformed customer ID with the expected format', async (tool) => {
    const r = await s.call(tool, { customer_id: 'cust-001' });
    expect(r.isError).toBe(true);
    expect(r.data.reason).toBe('\'customer_id\' must look like CUST-001 (got "cust-001").');
    expect(r.data.context.expected_arguments).toEqual(['customer_id (string, required, pattern ^CUST-\\d{3}$)']);
  });

  it.each(ID_TOOLS)('%s names a missing customer_id', async (tool) => {
    const r = await s.call(tool, {});
    expect(r.isError).toBe(true);
    expect(r.data).toMatchObject({ error: `Invalid arguments for ${tool}`, retryable: true });
    expect(r.data.reason).toBe("missing required argument 'customer_id'.");
  });

  it.each(ID_TOOLS)('%s rejects a customer ID of the wrong type', async (tool) => {
    const r = await s.call(tool, { customer_id: 1 });
    expect(r.isError).toBe(true);
    expect(r.data.reason).toBe("'customer_id' must be a string (got 1).");
  });

  it.each(ID_TOOLS)('%s rejects an over-long customer ID', async (tool) => {
    const r = await s.call(tool, { customer_id: 'CUST-0001' });
    expect(r.isError).toBe(true);
    expect(r.data.reason).toBe('\'customer_id\' must look like CUST-001 (got "CUST-0001").');
  });

  it.each(ID_TOOLS)('%s rejects unknown arguments and lists the expected one', async (tool) => {
    const r = await s.call(tool, { customer_id: 'CUST-001', include_history: true });
    expect(r.isError).toBe(true);
    expect(r.data.reason).toBe("unknown argument 'include_history'.");
    expect(r.data.context.expected_arguments).toEqual(['customer_id (string, required, pattern ^CUST-\\d{3}$)']);
  });
});
