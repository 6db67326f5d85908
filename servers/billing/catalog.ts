import { known, type Catalog } from '../kit/catalog.ts';
import { INVOICES, type Invoice } from './data.ts';

const customers = () => [...new Set(INVOICES.map((i) => i.customer_id))].sort();

/** Every invoice by URI, and a follow-up prompt. */
export const billingCatalog: Catalog = {
  collections: [
    {
      uriTemplate: 'helpdesk://invoices/{invoice_id}',
      name: 'invoice',
      title: 'Invoice',
      description: 'One invoice as JSON: customer, ticket, amount, status, due and paid dates.',
      mimeType: 'application/json',
      records: INVOICES,
      idOf: (i: Invoice) => i.invoice_id,
      titleOf: (i: Invoice) => `${i.invoice_id}: ${i.amount} ${i.currency} (${i.status})`,
      render: (i: Invoice) => JSON.stringify(i, null, 2),
    },
  ],
  prompts: [
    {
      name: 'billing_followup',
      title: 'Follow up on what a customer owes',
      description: "The customer's unpaid invoices, what is overdue and by how long, and a polite reminder to send.",
      arguments: [{ name: 'customer_id', description: 'The customer, e.g. CUST-002.', required: true, values: customers }],
      render: (args) => {
        const id = known(customers(), args.customer_id, 'customer');
        return `For customer ${id}: list the unpaid invoices (get_billing_history, check_payment_status), say which are overdue and by how many days (calculate_outstanding_balance), and draft a short, polite payment reminder that names the invoice IDs and amounts.`;
      },
    },
  ],
};
