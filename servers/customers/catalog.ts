import { known, type Catalog } from '../kit/catalog.ts';
import { CUSTOMERS, type Customer } from './data.ts';

const ids = () => CUSTOMERS.map((c) => c.customer_id);

/** Every customer by URI, and a briefing prompt. */
export const customerCatalog: Catalog = {
  collections: [
    {
      uriTemplate: 'helpdesk://customers/{customer_id}',
      name: 'customer',
      title: 'Customer',
      description: 'One customer as JSON: company, contacts, tier, SLA terms, account manager.',
      mimeType: 'application/json',
      records: CUSTOMERS,
      idOf: (c: Customer) => c.customer_id,
      titleOf: (c: Customer) => `${c.customer_id}: ${c.company_name}`,
      render: (c: Customer) => JSON.stringify(c, null, 2),
    },
  ],
  prompts: [
    {
      name: 'customer_brief',
      title: 'Brief me on a customer',
      description: 'Who the customer is, their SLA, their open tickets and what they owe, in a few lines.',
      arguments: [{ name: 'customer_id', description: 'The customer, e.g. CUST-001.', required: true, values: ids }],
      render: (args) => {
        const id = known(ids(), args.customer_id, 'customer');
        const customer = CUSTOMERS.find((c) => c.customer_id === id) as Customer;
        return `Brief me on ${customer.company_name} (${id}): look them up with lookup_customer and get_sla_terms, list their open tickets (search_tickets) and their outstanding balance (calculate_outstanding_balance), and say in a few lines what needs attention first.`;
      },
    },
  ],
};
