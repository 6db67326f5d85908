import { z } from 'zod';
import { customerId, day, text, ticketId } from '../../kit/ids.ts';
import { rankByScore, searchWords } from '../../kit/search.ts';
import { defineTool, toolError } from '../../kit/tool.ts';
import { TICKETS, TICKET_CATEGORIES, TICKET_PRIORITIES, TICKET_STATUSES, TicketSchema, type Ticket } from '../data.ts';

const input = z
  .object({
    query: text(
      'Words to look for in subject, description and tags, e.g. "BSOD" or "slow network". Case-insensitive; tickets matching more words rank first.',
    ).optional(),
    ticket_id: ticketId('Exact ticket ID').optional(),
    customer_id: customerId('Only tickets of this customer').optional(),
    status: z.enum(TICKET_STATUSES).describe('Only tickets in this status.').optional(),
    priority: z.enum(TICKET_PRIORITIES).describe('Only tickets of this priority.').optional(),
    category: z.enum(TICKET_CATEGORIES).describe('Only tickets of this category.').optional(),
    assignee: text('Only tickets assigned to this engineer (part of the name, case-insensitive), e.g. "Jane".').optional(),
    os: text('Only tickets whose operating system contains this text (case-insensitive), e.g. "Windows" or "macOS".').optional(),
    start_date: day('Only tickets created on or after this day').optional(),
    end_date: day('Only tickets created on or before this day').optional(),
  })
  .strict();

const output = z.object({
  tickets: z.array(TicketSchema),
  total_count: z.number().int(),
  filters_applied: z.record(z.string(), z.string()),
  hint: z.string().optional(),
});

type Filters = z.output<typeof input>;

function matchesFilters(ticket: Ticket, f: Filters): boolean {
  return (
    (f.ticket_id === undefined || ticket.ticket_id === f.ticket_id) &&
    (f.customer_id === undefined || ticket.customer_id === f.customer_id) &&
    (f.status === undefined || ticket.status === f.status) &&
    (f.priority === undefined || ticket.priority === f.priority) &&
    (f.category === undefined || ticket.category === f.category) &&
    (f.assignee === undefined || ticket.assignee.toLowerCase().includes(f.assignee.toLowerCase())) &&
    (f.os === undefined || ticket.os.toLowerCase().includes(f.os.toLowerCase())) &&
    (f.start_date === undefined || ticket.created_date >= f.start_date) &&
    (f.end_date === undefined || ticket.created_date <= f.end_date)
  );
}

/** Subject hits count most, then tags, then the description. */
function relevance(ticket: Ticket, words: readonly string[]): number {
  const subject = ticket.subject.toLowerCase();
  const tags = ticket.tags.join(' ').toLowerCase();
  const description = ticket.description.toLowerCase();
  let score = 0;
  for (const word of words) {
    if (subject.includes(word)) score += 3;
    if (tags.includes(word)) score += 2;
    if (description.includes(word)) score += 1;
  }
  return score;
}

export const searchTickets = defineTool({
  name: 'search_tickets',
  title: 'Search tickets',
  description:
    'Find support tickets by any combination of filters: free-text query, customer, status, priority, category, assignee, operating system and creation date range. All filters must match; with a query, tickets are ranked by how many query words they contain. Use this to list or discover tickets (e.g. all critical tickets of CUST-001); use get_ticket_details when you already know one ticket ID (format TKT-1001). An empty list is a normal answer.',
  input,
  output,
  run(args) {
    if (args.start_date && args.end_date && args.start_date > args.end_date) {
      return toolError({
        error: 'Invalid date range',
        reason: `start_date ${args.start_date} is after end_date ${args.end_date}, so no ticket can match.`,
        suggested_actions: ['Swap the two dates, or drop one of them.'],
        retryable: true,
        follow_up_tools: ['search_tickets'],
        context: { start_date: args.start_date, end_date: args.end_date },
      });
    }
    const filtered = TICKETS.filter((ticket) => matchesFilters(ticket, args));
    const words = args.query === undefined ? [] : searchWords(args.query);
    const tickets = words.length === 0 ? filtered : rankByScore(filtered, (t) => relevance(t, words)).map((r) => r.item);
    const filters_applied = Object.fromEntries(
      Object.entries(args).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    );
    return {
      tickets: [...tickets],
      total_count: tickets.length,
      filters_applied,
      ...(tickets.length === 0
        ? { hint: 'No ticket matches all of these filters. Remove a filter or use fewer query words to widen the search.' }
        : {}),
    };
  },
});
