import { z } from 'zod';
import { ticketId } from '../../kit/ids.ts';
import { defineTool, toolError } from '../../kit/tool.ts';
import { TICKETS, TicketSchema } from '../data.ts';

/** The not-found envelope shared by the tools that take one ticket ID. */
export function ticketNotFound(id: string, why: string) {
  return toolError({
    error: `Ticket ${id} not found`,
    reason: why,
    suggested_actions: [
      'Find the ticket with search_tickets, filtering by customer_id, priority or a few words of its subject.',
      'Check the ID: sample tickets run from TKT-1001 to TKT-1015.',
    ],
    retryable: true,
    follow_up_tools: ['search_tickets'],
    context: { ticket_id: id },
  });
}

export const getTicketDetails = defineTool({
  name: 'get_ticket_details',
  title: 'Get ticket details',
  description:
    'Return the full record of one ticket (subject, description, status, priority, category, OS, assignee, dates, resolution when resolved, tags) by its ID, e.g. TKT-1001. Use search_tickets instead when you do not know the ID.',
  input: z.object({ ticket_id: ticketId('ID of the ticket to show') }).strict(),
  output: TicketSchema,
  run({ ticket_id }) {
    const ticket = TICKETS.find((t) => t.ticket_id === ticket_id);
    return ticket ?? ticketNotFound(ticket_id, 'No ticket in the dataset has this ID.');
  },
});
