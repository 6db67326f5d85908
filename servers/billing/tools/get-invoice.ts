import { z } from 'zod';
import { customerId, invoiceId } from '../../kit/ids.ts';
import { defineTool, toolError } from '../../kit/tool.ts';
import { InvoiceSchema } from '../data.ts';
import { daysOverdue, findInvoice, invoicesOf, isOverdue, noInvoicesHint } from '../ledger.ts';

const input = z
  .object({
    invoice_id: invoiceId('Invoice to return in full; when given, customer_id is ignored').optional(),
    customer_id: customerId('Customer whose invoices to list (used only when invoice_id is absent)').optional(),
  })
  .strict();

const InvoiceAnswerSchema = InvoiceSchema.extend({
  is_overdue: z.boolean().describe('Unpaid and past its due date today.'),
  days_overdue: z.number().int().describe('Whole days past the due date; 0 when paid or not yet due.'),
}).describe('invoice_id given: the invoice as stored plus its overdue state today.');

const CustomerInvoicesSchema = z
  .object({
    customer_id: z.string(),
    invoices: z.array(InvoiceSchema).describe("The customer's invoices as stored, in dataset order."),
    total_invoices: z.number().int().describe('Number of invoices listed.'),
    hint: z.string().optional().describe('Present when the customer has no invoices.'),
  })
  .describe("customer_id given: all of the customer's invoices.");

const output = z.union([InvoiceAnswerSchema, CustomerInvoicesSchema]);

function invoiceNotFound(id: string) {
  return toolError({
    error: `Invoice ${id} not found`,
    reason: 'No invoice in the billing data has this ID.',
    suggested_actions: [
      "Review the customer's unpaid invoices with calculate_outstanding_balance.",
      "List the customer's invoices with get_invoice and a customer_id, then pick the right ID.",
    ],
    retryable: true,
    follow_up_tools: ['calculate_outstanding_balance', 'get_invoice'],
    context: { invoice_id: id },
  });
}

const missingCriteria = () =>
  toolError({
    error: 'Missing invoice lookup criteria',
    reason: 'The call named neither an invoice nor a customer, so there is nothing to look up.',
    suggested_actions: [
      'Pass invoice_id (e.g. INV-2025-001) to get one invoice.',
      'Pass customer_id (e.g. CUST-001) to list all invoices of that customer.',
    ],
    retryable: true,
    follow_up_tools: ['get_invoice'],
    context: { expected_arguments: ['invoice_id', 'customer_id'] },
  });

export const getInvoice = defineTool({
  name: 'get_invoice',
  title: 'Get invoice',
  description:
    "Return one invoice by its ID (e.g. INV-2025-001) with line items, dates, stored status and whether it is overdue today, or, given a customer ID (e.g. CUST-001), list all of that customer's invoices as stored. Give one of the two; if both are given, invoice_id wins. For a payment summary use check_payment_status, for invoices in a date range with totals use get_billing_history, for what a customer owes use calculate_outstanding_balance.",
  input,
  output,
  run({ invoice_id, customer_id }, { clock }) {
    if (invoice_id !== undefined) {
      const invoice = findInvoice(invoice_id);
      if (!invoice) return invoiceNotFound(invoice_id);
      const now = clock.now();
      return { ...invoice, is_overdue: isOverdue(invoice, now), days_overdue: daysOverdue(invoice, now) };
    }
    if (customer_id === undefined) return missingCriteria();
    const invoices = invoicesOf(customer_id);
    return {
      customer_id,
      invoices,
      total_invoices: invoices.length,
      ...(invoices.length === 0 ? { hint: noInvoicesHint(customer_id) } : {}),
    };
  },
});
