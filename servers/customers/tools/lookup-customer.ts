import { z } from 'zod';
import { expectedArgumentsOf } from '../../kit/arguments.ts';
import { customerId, text } from '../../kit/ids.ts';
import { defineTool, toolError } from '../../kit/tool.ts';
import { CUSTOMERS, CustomerSchema, type Customer } from '../data.ts';

const input = z
  .object({
    customer_id: customerId('Exact customer ID').optional(),
    email: text('The customer\'s main email address, e.g. "support@techcorp.com" (whole address, case-insensitive).').optional(),
    company_name: text('The company name or any part of it, case-insensitive, e.g. "TechCorp".').optional(),
  })
  .strict();

const output = CustomerSchema.extend({
  other_matches: z
    .array(z.object({ customer_id: z.string(), company_name: z.string() }))
    .optional()
    .describe('Other customers that also matched, present only when the criteria were ambiguous.'),
});

type Criteria = z.output<typeof input>;

const EXPECTED_ARGUMENTS = expectedArgumentsOf(input);

/** A customer must satisfy every given criterion (the original ORed them, which hid contradictions). */
function matches(customer: Customer, criteria: Criteria): boolean {
  const { customer_id, email, company_name } = criteria;
  return (
    (customer_id === undefined || customer.customer_id === customer_id) &&
    (email === undefined || customer.email.toLowerCase() === email.toLowerCase()) &&
    (company_name === undefined || customer.company_name.toLowerCase().includes(company_name.toLowerCase()))
  );
}

function noCriteria() {
  return toolError({
    error: 'No search criteria given',
    reason: 'lookup_customer needs at least one of customer_id, email or company_name to know whom to look for.',
    suggested_actions: [
      'Call lookup_customer again with a customer_id (e.g. CUST-001), an email address, or part of the company name (e.g. "TechCorp").',
    ],
    retryable: true,
    follow_up_tools: ['lookup_customer'],
    context: { expected_arguments: EXPECTED_ARGUMENTS },
  });
}

function notFound(criteria: Criteria) {
  return toolError({
    error: 'Customer not found',
    reason: 'No customer matches all of the given criteria.',
    suggested_actions: [
      'Check each value: IDs look like CUST-001, the email must be the whole address, and company_name may be just part of the name.',
      'Search with a single criterion, for example a partial company_name such as "TechCorp", since a customer must match every criterion given.',
    ],
    retryable: true,
    follow_up_tools: ['lookup_customer'],
    context: { search_criteria: { ...criteria } },
  });
}

export const lookupCustomer = defineTool({
  name: 'lookup_customer',
  title: 'Look up a customer',
  description:
    'Find one customer and return the full record: contact details, tier, status, account manager, dates, SLA terms and contact people. Search by customer ID (e.g. CUST-001), by email address, or by company name or part of it ("TechCorp"); give at least one, and when you give several the customer must match all of them. If several customers match, the first is returned and the rest are named in other_matches. Use this when you do not know the customer ID yet; with a known ID, check_customer_status, get_sla_terms and list_customer_contacts give focused answers.',
  input,
  output,
  run(criteria) {
    if (criteria.customer_id === undefined && criteria.email === undefined && criteria.company_name === undefined) {
      return noCriteria();
    }
    const [first, ...others] = CUSTOMERS.filter((customer) => matches(customer, criteria));
    if (!first) return notFound(criteria);
    return {
      ...first,
      ...(others.length > 0 ? { other_matches: others.map((c) => ({ customer_id: c.customer_id, company_name: c.company_name })) } : {}),
    };
  },
});
