import { z } from 'zod';
import { customerId } from '../../kit/ids.ts';
import { defineTool } from '../../kit/tool.ts';
import { CUSTOMER_TIERS, SlaTermsSchema, customerById } from '../data.ts';
import { customerNotFound } from './customer-not-found.ts';

const output = z.object({
  customer_id: z.string(),
  company_name: z.string(),
  tier: z.enum(CUSTOMER_TIERS),
  sla_terms: SlaTermsSchema,
});

export const getSlaTerms = defineTool({
  name: 'get_sla_terms',
  title: 'Get SLA terms',
  description:
    "Return a customer's service-level agreement: level (platinum, gold, silver or bronze), response and resolution times in hours, support hours, whether they have dedicated support, and the escalation contacts. Takes a customer ID such as CUST-001. Use this to judge how urgently a ticket must be handled; use check_customer_status for the account summary and list_customer_contacts for the everyday contact people.",
  input: z.object({ customer_id: customerId('ID of the customer whose SLA to show') }).strict(),
  output,
  run({ customer_id }) {
    const customer = customerById(customer_id);
    if (!customer) {
      return customerNotFound(customer_id, 'SLA terms are kept only for known customers, and no customer has this ID.', [
        'Confirm the customer ID with lookup_customer (by company_name or email), then ask again.',
        'If this is a new customer with no record yet, there are no SLA terms to report; say so instead of assuming any.',
      ]);
    }
    return {
      customer_id: customer.customer_id,
      company_name: customer.company_name,
      tier: customer.tier,
      sla_terms: customer.sla_terms,
    };
  },
});
