import { known, type Catalog } from '../kit/catalog.ts';
import { TICKET_PRIORITIES, TICKETS, type Ticket } from './data.ts';

const ids = () => TICKETS.map((t) => t.ticket_id);

/** Every ticket by URI, and the prompts a support engineer picks from a menu. */
export const ticketCatalog: Catalog = {
  collections: [
    {
      uriTemplate: 'helpdesk://tickets/{ticket_id}',
      name: 'ticket',
      title: 'Support ticket',
      description: 'One support ticket as JSON: subject, description, status, priority, category, assignee, dates, tags.',
      mimeType: 'application/json',
      records: TICKETS,
      idOf: (t: Ticket) => t.ticket_id,
      titleOf: (t: Ticket) => `${t.ticket_id}: ${t.subject}`,
      render: (t: Ticket) => JSON.stringify(t, null, 2),
    },
  ],
  prompts: [
    {
      name: 'triage_ticket',
      title: 'Triage a ticket',
      description: 'Read a ticket, find similar ones and fitting knowledge-base articles, and propose priority, owner and next steps.',
      arguments: [{ name: 'ticket_id', description: 'The ticket, e.g. TKT-1001.', required: true, values: ids }],
      render: (args) => {
        const id = known(ids(), args.ticket_id, 'ticket');
        const ticket = TICKETS.find((t) => t.ticket_id === id) as Ticket;
        return `Triage support ticket ${id} ("${ticket.subject}", ${ticket.priority}, ${ticket.status}). Read it with get_ticket_details, look for similar tickets with find_similar_tickets and for knowledge-base articles that fit, then propose a priority, an owner and the next steps, citing ticket and article IDs.`;
      },
    },
    {
      name: 'priority_report',
      title: 'Tickets by priority',
      description: 'The open and in-progress tickets of one priority, with their customers and owners.',
      arguments: [
        { name: 'priority', description: `One of ${TICKET_PRIORITIES.join(', ')}.`, required: true, values: () => TICKET_PRIORITIES },
      ],
      render: (args) => {
        const priority = known(TICKET_PRIORITIES, args.priority, 'priority');
        return `List every ${priority} ticket that is open or in progress (search_tickets with priority "${priority}"), with its customer, assignee and how long it has been open, oldest first.`;
      },
    },
  ],
};
