import { dayStart, floorDays } from '../../src/shared/clock.ts';
import { INVOICES, type Invoice } from './data.ts';

/** The invoice with this ID, if any. */
export function findInvoice(invoiceId: string): Invoice | undefined {
  return INVOICES.find((invoice) => invoice.invoice_id === invoiceId);
}

/** A customer's invoices in dataset order; empty for a customer billing has never seen. */
export function invoicesOf(customerId: string): Invoice[] {
  return INVOICES.filter((invoice) => invoice.customer_id === customerId);
}

function dueStart(invoice: Invoice): number {
  const ms = dayStart(invoice.due_date);
  if (ms === undefined) throw new RangeError(`Invoice ${invoice.invoice_id} has an invalid due_date`);
  return ms;
}

/**
 * Overdue by the calendar: unpaid and `now` is past 00:00 UTC of the due date, so the due
 * day itself already counts. The stored status is consulted only for "paid".
 */
export function isOverdue(invoice: Invoice, now: Date): boolean {
  return invoice.status !== 'paid' && now.getTime() > dueStart(invoice);
}

/** Whole days past the due date (floored), 0 when paid or not yet due. */
export function daysOverdue(invoice: Invoice, now: Date): number {
  if (invoice.status === 'paid') return 0;
  return Math.max(0, floorDays(dueStart(invoice), now.getTime()));
}

/** Sum of invoice amounts, rounded to cents so float noise never reaches the model. */
export function totalOf(invoices: readonly Invoice[]): number {
  const sum = invoices.reduce((acc, invoice) => acc + invoice.amount, 0);
  return Math.round(sum * 100) / 100;
}

/** The hint for a well-formed customer ID that has no invoices at all. */
export function noInvoicesHint(customerId: string): string {
  return `No invoices were found for customer ${customerId}. Billing only knows customers it has invoiced; confirm the ID with lookup_customer, or check another customer.`;
}
