import { z } from 'zod';
import { customerId, day } from '../../kit/ids.ts';
import { defineTool, toolError } from '../../kit/tool.ts';
import { InvoiceSchema } from '../data.ts';
import { invoicesOf, noInvoicesHint, totalOf } from '../ledger.ts';

const input = z
  .object({
    customer_id: customerId('Customer whose billing history to show'),
    start_date: day('Only invoices issued on or after this day').optional(),
    end_date: day('Only invoices issued on or before this day').optional(),
  })
  .strict();

const output = z.object({
  customer_id: z.string(),
  start_date: z.string().nullable().describe('The range start as given, or null for no lower bound.'),
  end_date: z.string().nullable().describe('The range end as given, or null for no upper bound.'),
  invoices: z.array(InvoiceSchema),
  summary: z.object({
    total_invoices: z.number().int(),
    total_billed: z.number(),
    total_paid: z.number().describe('Sum of invoices recorded as paid.'),
    total_pending: z.number().describe('Sum of invoices recorded as pending or overdue.'),
    currency: z.literal('USD'),
  }),
  hint: z.string().optional(),
});

function reversedRange(customer_id: string, start_date: string, end_date: string) {
  return toolError({
    error: 'Invalid date range',
    reason: `start_date ${start_date} is later than end_date ${end_date}, so no invoice can fall between them.`,
    suggested_actions: ['Swap the two dates, or leave one of them out.'],
    retryable: true,
    follow_up_tools: ['get_billing_history'],
    context: { customer_id, start_date, end_date },
  });
}

function emptyHint(customer_id: string, known: boolean): string {
  if (!known) return noInvoicesHint(customer_id);
  return `Customer ${customer_id} has invoices, but none issued in this date range. Widen the range or leave it out.`;
}

export const getBillingHistory = defineTool({
  name: 'get_billing_history',
  title: 'Get billing history',
  description:
    "List a customer's invoices (customer ID such as CUST-001), optionally only those issued within a date range (inclusive, YYYY-MM-DD), with totals billed, paid and still pending in USD. Totals follow the recorded status, not the due date. Use calculate_outstanding_balance for what is owed and overdue today, check_payment_status for overdue counts, get_invoice for one invoice (INV-2025-001).",
  input,
  output,
  run({ customer_id, start_date, end_date }) {
    if (start_date !== undefined && end_date !== undefined && start_date > end_date) {
      return reversedRange(customer_id, start_date, end_date);
    }
    const all = invoicesOf(customer_id);
    // YYYY-MM-DD strings order like the days they name.
    const invoices = all.filter(
      (i) => (start_date === undefined || i.issue_date >= start_date) && (end_date === undefined || i.issue_date <= end_date),
    );
    const hint = invoices.length === 0 ? emptyHint(customer_id, all.length > 0) : undefined;
    return {
      customer_id,
      start_date: start_date ?? null,
      end_date: end_date ?? null,
      invoices,
      summary: {
        total_invoices: invoices.length,
        total_billed: totalOf(invoices),
        total_paid: totalOf(invoices.filter((i) => i.status === 'paid')),
        total_pending: totalOf(invoices.filter((i) => i.status !== 'paid')),
        currency: 'USD' as const,
      },
      ...(hint === undefined ? {} : { hint }),
    };
  },
});
