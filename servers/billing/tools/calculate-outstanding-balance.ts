import { z } from 'zod';
import { customerId } from '../../kit/ids.ts';
import { defineTool } from '../../kit/tool.ts';
import { INVOICE_STATUSES } from '../data.ts';
import { daysOverdue, invoicesOf, isOverdue, noInvoicesHint, totalOf } from '../ledger.ts';

const output = z.object({
  customer_id: z.string(),
  outstanding_balance: z.number().describe('Sum of all unpaid invoices.'),
  currency: z.literal('USD'),
  overdue_amount: z.number().describe('Sum of the unpaid invoices past their due date today.'),
  number_of_unpaid_invoices: z.number().int(),
  number_of_overdue_invoices: z.number().int(),
  unpaid_invoices: z.array(
    z.object({
      invoice_id: z.string(),
      amount: z.number(),
      status: z.enum(INVOICE_STATUSES),
      due_date: z.string(),
      is_overdue: z.boolean(),
      days_overdue: z.number().int(),
    }),
  ),
  hint: z.string().optional(),
});

export const calculateOutstandingBalance = defineTool({
  name: 'calculate_outstanding_balance',
  title: 'Calculate outstanding balance',
  description:
    'Work out what a customer (ID such as CUST-001) still owes in USD: the total of unpaid invoices, how much of it is overdue today, and each unpaid invoice (INV-2025-001 format) with its days overdue. Use this for balance, debt and "who is overdue" questions; use check_payment_status for paid/pending counts, get_billing_history for past invoices in a date range.',
  input: z.object({ customer_id: customerId('Customer whose balance to calculate') }).strict(),
  output,
  run({ customer_id }, { clock }) {
    const now = clock.now();
    const all = invoicesOf(customer_id);
    const unpaid = all.filter((i) => i.status !== 'paid');
    const overdue = unpaid.filter((i) => isOverdue(i, now));
    return {
      customer_id,
      outstanding_balance: totalOf(unpaid),
      currency: 'USD' as const,
      overdue_amount: totalOf(overdue),
      number_of_unpaid_invoices: unpaid.length,
      number_of_overdue_invoices: overdue.length,
      unpaid_invoices: unpaid.map((i) => ({
        invoice_id: i.invoice_id,
        amount: i.amount,
        status: i.status,
        due_date: i.due_date,
        is_overdue: isOverdue(i, now),
        days_overdue: daysOverdue(i, now),
      })),
      ...(all.length === 0 ? { hint: noInvoicesHint(customer_id) } : {}),
    };
  },
});
