import { z } from 'zod';
import { customerId } from '../../kit/ids.ts';
import { defineTool } from '../../kit/tool.ts';
import { CUSTOMER_STATUSES, CUSTOMER_TIERS, customerById } from '../data.ts';
import { customerNotFound } from './customer-not-found.ts';

const output = z.object({
  customer_id: z.string(),
  company_name: z.string(),
  status: z.enum(CUSTOMER_STATUSES),
  tier: z.enum(CUSTOMER_TIERS),
  account_manager: z.string(),
  last_activity: z.string(),
  created_date: z.string(),
});

export const checkCustomerStatus = defineTool({
  name: 'check_customer_status',
  title: 'Check customer status',
  description:
    "Summarise one customer's account: account status, tier (premium, standard or basic), account manager, the day the account was created and the day of its last activity. Takes a customer ID such as CUST-001. Use lookup_customer instead when you only know a company name or email, or need the whole record; use get_sla_terms for response and resolution times.",
  input: z.object({ customer_id: customerId('ID of the customer to check') }).strict(),
  output,
  run({ customer_id }) {
    const customer = customerById(customer_id);
    if (!customer) {
      return customerNotFound(customer_id, 'No customer in the dataset has this ID.', [
        'Find the right ID with lookup_customer, searching by company_name (part of the name is enough) or email.',
        'Once the customer is known, list_customer_contacts gives the people to talk to.',
      ]);
    }
    return {
      customer_id: customer.customer_id,
      company_name: customer.company_name,
      status: customer.status,
      tier: customer.tier,
      account_manager: customer.account_manager,
      last_activity: customer.last_activity,
      created_date: customer.created_date,
    };
  },
});
