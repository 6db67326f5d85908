import { z } from 'zod';
import { customerId } from '../../kit/ids.ts';
import { defineTool } from '../../kit/tool.ts';
import { ContactSchema, customerById } from '../data.ts';
import { customerNotFound } from './customer-not-found.ts';

const output = z.object({
  customer_id: z.string(),
  company_name: z.string(),
  contacts: z.array(ContactSchema),
  total_contacts: z.number().int(),
});

export const listCustomerContacts = defineTool({
  name: 'list_customer_contacts',
  title: 'List customer contacts',
  description:
    'List the contact people of a customer (name, email, role, phone), e.g. to know whom to call about a ticket. Takes a customer ID such as CUST-001. Use lookup_customer first when you only know the company name or email; SLA escalation addresses come from get_sla_terms.',
  input: z.object({ customer_id: customerId('ID of the customer whose contacts to list') }).strict(),
  output,
  run({ customer_id }) {
    const customer = customerById(customer_id);
    if (!customer) {
      return customerNotFound(customer_id, 'Contacts can only be listed for a customer in the dataset, and no customer has this ID.', [
        'Run lookup_customer (by company_name or email) to confirm the ID or find the customer you meant.',
      ]);
    }
    return {
      customer_id: customer.customer_id,
      company_name: customer.company_name,
      contacts: [...customer.contacts],
      total_contacts: customer.contacts.length,
    };
  },
});
