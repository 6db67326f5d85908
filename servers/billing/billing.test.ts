import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/shared/clock.ts';
import { connectInMemory } from '../kit/testing.ts';
import { INVOICES } from './data.ts';
import { buildServer } from './server.ts';

type Session = Awaited<ReturnType<typeof connectInMemory>>;
let s: Session;
beforeAll(async () => {
  s = await connectInMemory(buildServer);
});
afterAll(() => s.close());

/** Runs `body` against a server whose clock is pinned at `instant`. */
async function at<T>(instant: string, body: (session: Session) => Promise<T>): Promise<T> {
  const session = await connectInMemory(buildServer, fixedClock(instant));
  try {
    return await body(session);
  } finally {
    await session.close();
  }
}

type JsonShape = { required?: string[]; additionalProperties?: unknown };

/** The alternatives of a tool's declared output schema, as tools/list reports them. */
async function outputShapes(name: string): Promise<JsonShape[]> {
  const { tools } = await s.client.listTools();
  return (tools.find((tool) => tool.name === name)?.outputSchema?.anyOf ?? []) as JsonShape[];
}

const UNPAID = [
  'INV-2025-002',
  'INV-2025-004',
  'INV-2025-006',
  'INV-2025-007',
  'INV-2025-008',
  'INV-2025-009',
  'INV-2025-010',
  'INV-2025-012',
  'INV-2024-075',
  'INV-2025-013',
];

describe('billing server', () => {
  it('lists exactly the four billing tools', async () => {
    const { tools } = await s.client.listTools();
    expect(tools.map((t) => t.name)).toEqual([
      'get_invoice',
      'check_payment_status',
      'get_billing_history',
      'calculate_outstanding_balance',
    ]);
  });

  it.each([
    [
      'get_invoice',
      [
        [
          'invoice_id',
          'customer_id',
          'ticket_id',
          'amount',
          'currency',
          'status',
          'issue_date',
          'due_date',
          'paid_date',
          'description',
          'line_items',
          'is_overdue',
          'days_overdue',
        ],
        ['customer_id', 'invoices', 'total_invoices'],
      ],
    ],
    [
      'check_payment_status',
      [
        [
          'invoice_id',
          'customer_id',
          'payment_status',
          'amount',
          'currency',
          'issue_date',
          'due_date',
          'paid_date',
          'is_overdue',
          'days_overdue',
        ],
        ['customer_id', 'summary', 'overdue_invoices'],
      ],
    ],
  ])('declares the invoice and customer answers of %s as two shapes with their required fields', async (name, required) => {
    const shapes = await outputShapes(name);
    expect(shapes).toHaveLength(3);
    expect(shapes.slice(0, 2).map((shape) => shape.required)).toEqual(required);
    expect(shapes.every((shape) => shape.additionalProperties === false)).toBe(true);
    expect(shapes[2]?.required).toEqual(expect.arrayContaining(['error', 'reason', 'suggested_actions', 'retryable']));
  });

  it('holds fifteen invoices: five paid, eight pending, two recorded as overdue', () => {
    expect(INVOICES).toHaveLength(15);
    expect(INVOICES.at(-1)?.invoice_id).toBe('INV-2025-013');
    const count = (status: string) => INVOICES.filter((i) => i.status === status).length;
    expect([count('paid'), count('pending'), count('overdue')]).toEqual([5, 8, 2]);
    expect(Object.isFrozen(INVOICES[0]?.line_items[0])).toBe(true);
  });

  it('returns one invoice with its line items and overdue state', async () => {
    const r = await s.call('get_invoice', { invoice_id: 'INV-2025-002' });
    expect(r.isError).toBe(false);
    expect(r.data).toEqual({
      invoice_id: 'INV-2025-002',
      customer_id: 'CUST-002',
      ticket_id: 'TKT-1002',
      amount: 850,
      currency: 'USD',
      status: 'pending',
      issue_date: '2025-10-01',
      due_date: '2025-10-31',
      paid_date: null,
      description: 'Critical incident - Linux server disk space emergency response',
      line_items: [
        { description: 'Emergency response fee', amount: 250 },
        { description: 'Engineer hours (4h)', amount: 600 },
      ],
      is_overdue: false,
      days_overdue: 0,
    });
  });

  it.each([
    ['INV-2025-007', true, 0],
    ['INV-2024-075', true, 294],
    ['INV-2025-001', false, 0],
  ])('marks %s overdue=%s with %i days at the dataset date', async (invoice_id, overdue, days) => {
    const r = await s.call('get_invoice', { invoice_id });
    expect(r.data).toMatchObject({ is_overdue: overdue, days_overdue: days });
  });

  it('lists all invoices of a customer in dataset order', async () => {
    const r = await s.call('get_invoice', { customer_id: 'CUST-002' });
    expect(r.data.customer_id).toBe('CUST-002');
    expect(r.data.invoices.map((i: { invoice_id: string }) => i.invoice_id)).toEqual(['INV-2025-002', 'INV-2025-007', 'INV-2024-075']);
    expect(r.data.total_invoices).toBe(3);
    expect(r.data.invoices[2]).toMatchObject({ ticket_id: null, amount: 1800, status: 'overdue' });
    expect(r.data.hint).toBeUndefined();
  });

  it('prefers invoice_id when both invoice_id and customer_id are given', async () => {
    const r = await s.call('get_invoice', { invoice_id: 'INV-2025-001', customer_id: 'CUST-002' });
    expect(r.data).toMatchObject({ invoice_id: 'INV-2025-001', customer_id: 'CUST-001' });
    expect(r.data.invoices).toBeUndefined();
  });

  it('lists no invoices for an unknown customer and says so in a hint', async () => {
    const r = await s.call('get_invoice', { customer_id: 'CUST-999' });
    expect(r.isError).toBe(false);
    expect(r.data).toMatchObject({ customer_id: 'CUST-999', invoices: [], total_invoices: 0 });
    expect(r.data.hint).toMatch(/No invoices were found for customer CUST-999/);
  });

  it('returns a retryable envelope when the invoice does not exist', async () => {
    const r = await s.call('get_invoice', { invoice_id: 'INV-2025-999' });
    expect(r.isError).toBe(true);
    expect(r.data).toMatchObject({
      error: 'Invoice INV-2025-999 not found',
      retryable: true,
      follow_up_tools: ['calculate_outstanding_balance', 'get_invoice'],
      context: { invoice_id: 'INV-2025-999' },
    });
    expect(r.data.suggested_actions).toHaveLength(2);
    expect(r.data.invoice_id).toBeUndefined();
    expect(r.structured).toEqual(r.data);
  });

  it.each(['get_invoice', 'check_payment_status'])('%s without any criterion names the expected arguments', async (tool) => {
    const r = await s.call(tool, {});
    expect(r.isError).toBe(true);
    expect(r.data).toMatchObject({
      error: tool === 'get_invoice' ? 'Missing invoice lookup criteria' : 'Missing payment status lookup criteria',
      retryable: true,
      follow_up_tools: [tool],
      context: { expected_arguments: ['invoice_id', 'customer_id'] },
    });
    expect(r.data.suggested_actions).toHaveLength(2);
  });

  it.each(['get_invoice', 'check_payment_status'])('%s rejects a malformed invoice ID with the expected format', async (tool) => {
    const r = await s.call(tool, { invoice_id: 'INV-9999' });
    expect(r.isError).toBe(true);
    expect(r.data.error).toBe(`Invalid arguments for ${tool}`);
    expect(r.data.reason).toBe(`'invoice_id' must look like INV-2025-001 (got "INV-9999").`);
    expect(r.data.context.expected_arguments).toEqual([
      'invoice_id (string, optional, pattern ^INV-\\d{4}-\\d{3}$)',
      'customer_id (string, optional, pattern ^CUST-\\d{3}$)',
    ]);
  });

  it.each(['get_invoice', 'check_payment_status'])('%s rejects a malformed customer ID', async (tool) => {
    const r = await s.call(tool, { customer_id: 'cust-2' });
    expect(r.isError).toBe(true);
    expect(r.data.reason).toBe(`'customer_id' must look like CUST-001 (got "cust-2").`);
  });

  it.each(['get_invoice', 'check_payment_status'])('%s rejects an invoice ID of the wrong type', async (tool) => {
    const r = await s.call(tool, { invoice_id: 2025001 });
    expect(r.isError).toBe(true);
    expect(r.data.reason).toBe("'invoice_id' must be a string (got 2025001).");
  });

  it.each(['get_invoice', 'check_payment_status'])('%s rejects unknown arguments', async (tool) => {
    const r = await s.call(tool, { invoice_id: 'INV-2025-001', status: 'paid' });
    expect(r.isError).toBe(true);
    expect(r.data.reason).toBe("unknown argument 'status'.");
    expect(r.data.retryable).toBe(true);
  });

  it('reports the payment status of one invoice', async () => {
    const r = await s.call('check_payment_status', { invoice_id: 'INV-2024-075' });
    expect(r.data).toEqual({
      invoice_id: 'INV-2024-075',
      customer_id: 'CUST-002',
      payment_status: 'overdue',
      amount: 1800,
      currency: 'USD',
      issue_date: '2024-11-15',
      due_date: '2024-12-15',
      paid_date: null,
      is_overdue: true,
      days_overdue: 294,
    });
  });

  it('reports a paid invoice with its paid date and no overdue days', async () => {
    const r = await s.call('check_payment_status', { invoice_id: 'INV-2025-011' });
    expect(r.data).toMatchObject({ payment_status: 'paid', paid_date: '2025-09-30', is_overdue: false, days_overdue: 0 });
  });

  it('summarises CUST-002 as 3 invoices, 0 paid, 1 pending, 2 overdue', async () => {
    const r = await s.call('check_payment_status', { customer_id: 'CUST-002' });
    expect(r.data).toEqual({
      customer_id: 'CUST-002',
      summary: { total_invoices: 3, paid: 0, pending: 1, overdue: 2 },
      overdue_invoices: [
        { invoice_id: 'INV-2025-007', amount: 350, due_date: '2025-10-05', days_overdue: 0 },
        { invoice_id: 'INV-2024-075', amount: 1800, due_date: '2024-12-15', days_overdue: 294 },
      ],
    });
  });

  it('counts a pending invoice past its due date as both pending and overdue', async () => {
    const r = await at('2026-11-15T12:00:00Z', (later) => later.call('check_payment_status', { customer_id: 'CUST-002' }));
    expect(r.data.summary).toEqual({ total_invoices: 3, paid: 0, pending: 1, overdue: 3 });
  });

  it('summarises an unknown customer with zero counts and a hint', async () => {
    const r = await s.call('check_payment_status', { customer_id: 'CUST-999' });
    expect(r.isError).toBe(false);
    expect(r.data.summary).toEqual({ total_invoices: 0, paid: 0, pending: 0, overdue: 0 });
    expect(r.data.overdue_invoices).toEqual([]);
    expect(r.data.hint).toMatch(/No invoices were found for customer CUST-999/);
  });

  it('returns a retryable envelope pointing to get_invoice when the invoice does not exist', async () => {
    const r = await s.call('check_payment_status', { invoice_id: 'INV-2025-999' });
    expect(r.isError).toBe(true);
    expect(r.data).toMatchObject({
      error: 'Invoice INV-2025-999 not found',
      retryable: true,
      follow_up_tools: ['get_invoice'],
      context: { invoice_id: 'INV-2025-999' },
    });
    expect(r.data.suggested_actions).toHaveLength(2);
  });

  it.each([
    ['CUST-001', 600, 0, 1, 0, 1050, 450, 600],
    ['CUST-002', 3000, 2150, 3, 2, 3000, 0, 3000],
    ['CUST-003', 1500, 0, 1, 0, 1800, 300, 1500],
    ['CUST-004', 400, 0, 1, 0, 600, 200, 400],
    ['CUST-005', 500, 0, 1, 0, 3000, 2500, 500],
    ['CUST-006', 425, 0, 2, 0, 425, 0, 425],
    ['CUST-007', 750, 0, 1, 0, 750, 0, 750],
    ['CUST-008', 0, 0, 0, 0, 900, 900, 0],
  ])('%s owes the reference amounts at the dataset date', async (customer_id, owed, overdue, unpaid, late, billed, paid, pending) => {
    const balance = await s.call('calculate_outstanding_balance', { customer_id });
    expect(balance.data).toMatchObject({
      customer_id,
      outstanding_balance: owed,
      currency: 'USD',
      overdue_amount: overdue,
      number_of_unpaid_invoices: unpaid,
      number_of_overdue_invoices: late,
    });
    const history = await s.call('get_billing_history', { customer_id });
    expect(history.data.summary).toEqual({
      total_invoices: history.data.invoices.length,
      total_billed: billed,
      total_paid: paid,
      total_pending: pending,
      currency: 'USD',
    });
  });

  it('lists the unpaid invoices of CUST-002 with their overdue days', async () => {
    const r = await s.call('calculate_outstanding_balance', { customer_id: 'CUST-002' });
    expect(r.data.unpaid_invoices).toEqual([
      { invoice_id: 'INV-2025-002', amount: 850, status: 'pending', due_date: '2025-10-31', is_overdue: false, days_overdue: 0 },
      { invoice_id: 'INV-2025-007', amount: 350, status: 'overdue', due_date: '2025-10-05', is_overdue: true, days_overdue: 0 },
      { invoice_id: 'INV-2024-075', amount: 1800, status: 'overdue', due_date: '2024-12-15', is_overdue: true, days_overdue: 294 },
    ]);
    expect(r.data.hint).toBeUndefined();
  });

  it('gives the premium customers a combined balance of 4850', async () => {
    let sum = 0;
    for (const customer_id of ['CUST-001', 'CUST-002', 'CUST-005', 'CUST-007']) {
      sum += (await s.call('calculate_outstanding_balance', { customer_id })).data.outstanding_balance;
    }
    expect(sum).toBe(4850);
  });

  it('counts every unpaid invoice as overdue a year later', async () => {
    const r = await at('2026-11-15T12:00:00Z', (later) => later.call('calculate_outstanding_balance', { customer_id: 'CUST-006' }));
    expect(r.data).toMatchObject({ outstanding_balance: 425, overdue_amount: 425, number_of_overdue_invoices: 2 });
  });

  it('makes CUST-007 overdue from 2025-11-01', async () => {
    const before = await at('2025-10-31T12:00:00Z', (c) => c.call('calculate_outstanding_balance', { customer_id: 'CUST-007' }));
    const after = await at('2025-11-01T12:00:00Z', (c) => c.call('calculate_outstanding_balance', { customer_id: 'CUST-007' }));
    expect(before.data.overdue_amount).toBe(0);
    expect(after.data).toMatchObject({ overdue_amount: 750, number_of_overdue_invoices: 1 });
  });

  it('answers an unknown customer balance with zeros and a hint', async () => {
    const r = await s.call('calculate_outstanding_balance', { customer_id: 'CUST-999' });
    expect(r.isError).toBe(false);
    expect(r.data).toMatchObject({
      customer_id: 'CUST-999',
      outstanding_balance: 0,
      overdue_amount: 0,
      number_of_unpaid_invoices: 0,
      number_of_overdue_invoices: 0,
      unpaid_invoices: [],
    });
    expect(r.data.hint).toMatch(/No invoices were found for customer CUST-999/);
  });

  it.each([
    ['2025-10-05T12:00:00Z', ['INV-2025-007', 'INV-2024-075']],
    ['2025-10-06T12:00:00Z', ['INV-2025-007', 'INV-2024-075']],
    ['2025-10-25T12:00:00Z', ['INV-2025-007', 'INV-2025-010', 'INV-2024-075']],
    ['2025-10-31T12:00:00Z', ['INV-2025-002', 'INV-2025-007', 'INV-2025-008', 'INV-2025-010', 'INV-2024-075']],
    ['2025-11-01T12:00:00Z', ['INV-2025-002', 'INV-2025-007', 'INV-2025-008', 'INV-2025-009', 'INV-2025-010', 'INV-2024-075']],
    [
      '2025-11-02T12:00:00Z',
      ['INV-2025-002', 'INV-2025-004', 'INV-2025-007', 'INV-2025-008', 'INV-2025-009', 'INV-2025-010', 'INV-2024-075'],
    ],
    [
      '2025-11-03T12:00:00Z',
      [
        'INV-2025-002',
        'INV-2025-004',
        'INV-2025-006',
        'INV-2025-007',
        'INV-2025-008',
        'INV-2025-009',
        'INV-2025-010',
        'INV-2025-012',
        'INV-2024-075',
      ],
    ],
    ['2025-11-04T12:00:00Z', UNPAID],
    ['2026-11-15T12:00:00Z', UNPAID],
  ])('at %s exactly the reference invoices are overdue', async (instant, expected) => {
    const overdue = await at(instant, async (c) => {
      const found: string[] = [];
      for (const invoice of INVOICES) {
        const r = await c.call('check_payment_status', { invoice_id: invoice.invoice_id });
        if (r.data.is_overdue) found.push(invoice.invoice_id);
      }
      return found;
    });
    expect([...overdue].sort()).toEqual([...expected].sort());
  });

  it('counts overdue days from the due date, one more each day', async () => {
    const r = await at('2025-10-06T12:00:00Z', async (c) => [
      (await c.call('get_invoice', { invoice_id: 'INV-2025-007' })).data.days_overdue,
      (await c.call('get_invoice', { invoice_id: 'INV-2024-075' })).data.days_overdue,
    ]);
    expect(r).toEqual([1, 295]);
  });

  it.each([
    ['2025-10-24T23:59:59Z', false],
    ['2025-10-25T00:00:00Z', false],
    ['2025-10-25T00:00:01Z', true],
  ])('at %s INV-2025-010 (due 2025-10-25) is overdue=%s', async (instant, overdue) => {
    const r = await at(instant, (c) => c.call('check_payment_status', { invoice_id: 'INV-2025-010' }));
    expect(r.data).toMatchObject({ is_overdue: overdue, days_overdue: 0 });
  });

  it('returns the whole billing history of a customer without a range', async () => {
    const r = await s.call('get_billing_history', { customer_id: 'CUST-005' });
    expect(r.data).toMatchObject({ customer_id: 'CUST-005', start_date: null, end_date: null });
    expect(r.data.invoices.map((i: { invoice_id: string }) => i.invoice_id)).toEqual(['INV-2025-006', 'INV-2024-088']);
    expect(r.data.hint).toBeUndefined();
  });

  it('filters billing history by issue date, inclusive at both ends', async () => {
    const r = await s.call('get_billing_history', { customer_id: 'CUST-002', start_date: '2024-11-15', end_date: '2025-09-05' });
    expect(r.data.invoices.map((i: { invoice_id: string }) => i.invoice_id)).toEqual(['INV-2025-007', 'INV-2024-075']);
    expect(r.data.summary).toEqual({ total_invoices: 2, total_billed: 2150, total_paid: 0, total_pending: 2150, currency: 'USD' });
    expect(r.data).toMatchObject({ start_date: '2024-11-15', end_date: '2025-09-05' });
  });

  it('accepts a range with only a start date', async () => {
    const r = await s.call('get_billing_history', { customer_id: 'CUST-005', start_date: '2025-01-01' });
    expect(r.data.invoices.map((i: { invoice_id: string }) => i.invoice_id)).toEqual(['INV-2025-006']);
    expect(r.data.summary).toMatchObject({ total_billed: 500, total_paid: 0, total_pending: 500 });
  });

  it('answers an empty date range of a known customer with a hint to widen it', async () => {
    const r = await s.call('get_billing_history', { customer_id: 'CUST-001', end_date: '2025-01-01' });
    expect(r.isError).toBe(false);
    expect(r.data.invoices).toEqual([]);
    expect(r.data.summary).toEqual({ total_invoices: 0, total_billed: 0, total_paid: 0, total_pending: 0, currency: 'USD' });
    expect(r.data.hint).toMatch(/none issued in this date range/);
  });

  it('answers an unknown customer history with zero totals and a hint', async () => {
    const r = await s.call('get_billing_history', { customer_id: 'CUST-999' });
    expect(r.isError).toBe(false);
    expect(r.data.summary.total_billed).toBe(0);
    expect(r.data.hint).toMatch(/No invoices were found for customer CUST-999/);
  });

  it('rejects a reversed date range with an envelope naming both dates', async () => {
    const r = await s.call('get_billing_history', { customer_id: 'CUST-001', start_date: '2025-10-05', end_date: '2025-09-01' });
    expect(r.isError).toBe(true);
    expect(r.data).toMatchObject({
      error: 'Invalid date range',
      retryable: true,
      follow_up_tools: ['get_billing_history'],
      context: { customer_id: 'CUST-001', start_date: '2025-10-05', end_date: '2025-09-01' },
    });
  });

  it.each([
    [{ customer_id: 'CUST-001', start_date: '2025-02-30' }, '\'start_date\' must be a real calendar date (got "2025-02-30").'],
    [{ customer_id: 'CUST-001', end_date: '05/10/2025' }, '\'end_date\' must be a date written YYYY-MM-DD (got "05/10/2025").'],
    [{ customer_id: 'CUST-001', start_date: 20251001 }, "'start_date' must be a string (got 20251001)."],
    [{ start_date: '2025-10-01' }, "missing required argument 'customer_id'."],
    [{ customer_id: 'CUST-001', status: 'paid' }, "unknown argument 'status'."],
  ])('get_billing_history rejects %j', async (args, reason) => {
    const r = await s.call('get_billing_history', args);
    expect(r.isError).toBe(true);
    expect(r.data.error).toBe('Invalid arguments for get_billing_history');
    expect(r.data.reason).toContain(reason.slice(0, -1));
    expect(r.data.retryable).toBe(true);
    expect(r.data.context.expected_arguments).toEqual([
      'customer_id (string, required, pattern ^CUST-\\d{3}$)',
      'start_date (string, optional, pattern ^\\d{4}-\\d{2}-\\d{2}$)',
      'end_date (string, optional, pattern ^\\d{4}-\\d{2}-\\d{2}$)',
    ]);
  });

  it.each([
    [{}, "missing required argument 'customer_id'."],
    [{ customer_id: 'CUST-1' }, '\'customer_id\' must look like CUST-001 (got "CUST-1").'],
    [{ customer_id: 2 }, "'customer_id' must be a string (got 2)."],
    [{ customer_id: 'CUST-001', currency: 'EUR' }, "unknown argument 'currency'."],
  ])('calculate_outstanding_balance rejects %j', async (args, reason) => {
    const r = await s.call('calculate_outstanding_balance', args);
    expect(r.isError).toBe(true);
    expect(r.data.reason).toBe(reason);
    expect(r.data.context.expected_arguments).toEqual(['customer_id (string, required, pattern ^CUST-\\d{3}$)']);
  });
});
