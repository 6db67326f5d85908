import { z } from 'zod';
import { customerId, invoiceId } from '../../kit/ids.ts';
import { defineTool, toolError } from '../../kit/tool.ts';
import { INVOICE_STATUSES, type Invoice } from '../data.ts';
import { daysOverdue, findInvoice, invoicesOf, isOverdue, noInvoicesHint } from '../ledger.ts';

const input = z
  .object({
    invoice_id: invoiceId('Invoice whose payment status to report; when given, customer_id is ignored').optional(),
    customer_id: customerId('Customer to summarise (used only when invoice_id is absent)').optional(),
  })
  .strict();

const InvoiceStatusSchema = z
  .object({
    invoice_id: z.string(),
    customer_id: z.string(),
    payment_status: z.enum(INVOICE_STATUSES).describe('The status as recorded.'),
    amount: z.number(),
    currency: z.literal('USD'),
    issue_date: z.string(),
    due_date: z.string(),
    paid_date: z.string().nullable(),
    is_overdue: z.boolean().describe('Unpaid and past its due date today.'),
    days_overdue: z.number().int().describe('Whole days past the due date; 0 when paid or not yet due.'),
  })
  .describe('invoice_id given: the payment state of that invoice.');

const CustomerPaymentsSchema = z
  .object({
    customer_id: z.string(),
    summary: z
      .object({
        total_invoices: z.number().int(),
        paid: z.number().int(),
        pending: z.number().int(),
        overdue: z.number().int().describe('Recorded as overdue or past due today; may overlap pending.'),
      })
      .describe('Invoice counts by payment state.'),
    overdue_invoices: z
      .array(z.object({ invoice_id: z.string(), amount: z.number(), due_date: z.string(), days_overdue: z.number().int() }))
      .describe('The invoices counted as overdue.'),
    hint: z.string().optional().describe('Present when the customer has no invoices.'),
  })
  .describe("customer_id given: a summary of the customer's payments.");

const output = z.union([InvoiceStatusSchema, CustomerPaymentsSchema]);

function invoiceNotFound(id: string) {
  return toolError({
    error: `Invoice ${id} not found`,
    reason: 'A payment status needs an existing invoice, and no invoice has this ID.',
    suggested_actions: [
      "List the customer's invoices by calling get_invoice with a customer_id.",
      'Check the spelling of the ID; invoice IDs look like INV-2025-001.',
    ],
    retryable: true,
    follow_up_tools: ['get_invoice'],
    context: { invoice_id: id },
  });
}

const missingCriteria = () =>
  toolError({
    error: 'Missing payment status lookup criteria',
    reason: 'Neither an invoice nor a customer was given to scope the request.',
    suggested_actions: [
      'Pass invoice_id (e.g. INV-2025-001) for the status of one invoice.',
      'Pass customer_id (e.g. CUST-001) for a payment summary of that customer.',
    ],
    retryable: true,
    follow_up_tools: ['check_payment_status'],
    context: { expected_arguments: ['invoice_id', 'customer_id'] },
  });

function invoiceStatus(invoice: Invoice, now: Date): z.input<typeof InvoiceStatusSchema> {
  return {
    invoice_id: invoice.invoice_id,
    customer_id: invoice.customer_id,
    payment_status: invoice.status,
    amount: invoice.amount,
    currency: invoice.currency,
    issue_date: invoice.issue_date,
    due_date: invoice.due_date,
    paid_date: invoice.paid_date,
    is_overdue: isOverdue(invoice, now),
    days_overdue: daysOverdue(invoice, now),
  };
}

function customerSummary(customer_id: string, now: Date): z.input<typeof CustomerPaymentsSchema> {
  const invoices = invoicesOf(customer_id);
  const overdue = invoices.filter((i) => i.status === 'overdue' || isOverdue(i, now));
  return {
    customer_id,
    summary: {
      total_invoices: invoices.length,
      paid: invoices.filter((i) => i.status === 'paid').length,
      pending: invoices.filter((i) => i.status === 'pending').length,
      overdue: overdue.length,
    },
    overdue_invoices: overdue.map((i) => ({
      invoice_id: i.invoice_id,
      amount: i.amount,
      due_date: i.due_date,
      days_overdue: daysOverdue(i, now),
    })),
    ...(invoices.length === 0 ? { hint: noInvoicesHint(customer_id) } : {}),
  };
}

export const checkPaymentStatus = defineTool({
  name: 'check_payment_status',
  title: 'Check payment status',
  description:
    'Report whether invoices are paid: for one invoice ID (e.g. INV-2025-001) its recorded status, dates and days overdue; for a customer ID (e.g. CUST-001) counts of paid, pending and overdue invoices plus the overdue ones. A pending invoice past its due date counts as both pending and overdue. Give one of the two; if both are given, invoice_id wins. Use get_invoice for line items, calculate_outstanding_balance for amounts owed, get_billing_history for a date range.',
  input,
  output,
  run({ invoice_id, customer_id }, { clock }) {
    if (invoice_id !== undefined) {
      const invoice = findInvoice(invoice_id);
      return invoice ? invoiceStatus(invoice, clock.now()) : invoiceNotFound(invoice_id);
    }
    if (customer_id === undefined) return missingCriteria();
    return customerSummary(customer_id, clock.now());
  },
});
