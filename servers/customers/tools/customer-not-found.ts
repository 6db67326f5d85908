import { toolError } from '../../kit/tool.ts';

/**
 * The not-found envelope of the tools that take one customer ID. Each tool says in its own
 * words why the ID matters to it; all of them point to lookup_customer to find the right one.
 */
export function customerNotFound(id: string, reason: string, suggested_actions: readonly string[]) {
  return toolError({
    error: `Customer ${id} not found`,
    reason,
    suggested_actions: [...suggested_actions],
    retryable: true,
    follow_up_tools: ['lookup_customer'],
    context: { customer_id: id },
  });
}
