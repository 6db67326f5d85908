import { z } from 'zod';
import { limit, ticketId } from '../../kit/ids.ts';
import { rankByScore } from '../../kit/search.ts';
import { defineTool } from '../../kit/tool.ts';
import { TICKETS, TICKET_PRIORITIES, TICKET_STATUSES, type Ticket } from '../data.ts';
import { ticketNotFound } from './get-ticket-details.ts';

const output = z.object({
  reference_ticket_id: z.string(),
  reference_ticket_subject: z.string(),
  similar_tickets: z.array(
    z.object({
      ticket_id: z.string(),
      subject: z.string(),
      status: z.enum(TICKET_STATUSES),
      priority: z.enum(TICKET_PRIORITIES),
      similarity_score: z.number().int(),
      common_tags: z.array(z.string()),
    }),
  ),
  total_found: z.number().int(),
});

/** Shared tags, in the reference ticket's tag order so the output is deterministic. */
function commonTags(reference: Ticket, other: Ticket): string[] {
  return reference.tags.filter((tag) => other.tags.includes(tag));
}

function similarity(reference: Ticket, other: Ticket): number {
  return (
    20 * commonTags(reference, other).length +
    (reference.category === other.category ? 30 : 0) +
    (reference.os === other.os ? 20 : 0) +
    (reference.priority === other.priority ? 10 : 0)
  );
}

export const findSimilarTickets = defineTool({
  name: 'find_similar_tickets',
  title: 'Find similar tickets',
  description:
    'Rank other tickets by similarity to one ticket (shared tags 20 points each, same category 30, same OS 20, same priority 10) to spot recurring problems or earlier fixes. Takes a ticket ID such as TKT-1001. To search by words rather than by a ticket, use search_tickets.',
  input: z.object({ ticket_id: ticketId('Reference ticket'), limit: limit(5, 14) }).strict(),
  output,
  run({ ticket_id, limit: max }) {
    const reference = TICKETS.find((t) => t.ticket_id === ticket_id);
    if (!reference) {
      return ticketNotFound(ticket_id, 'Similarity needs a reference ticket, and no ticket has this ID.');
    }
    const others = TICKETS.filter((t) => t.ticket_id !== ticket_id);
    const ranked = rankByScore(others, (t) => similarity(reference, t)).slice(0, max);
    return {
      reference_ticket_id: reference.ticket_id,
      reference_ticket_subject: reference.subject,
      similar_tickets: ranked.map(({ item, score }) => ({
        ticket_id: item.ticket_id,
        subject: item.subject,
        status: item.status,
        priority: item.priority,
        similarity_score: score,
        common_tags: commonTags(reference, item),
      })),
      total_found: ranked.length,
    };
  },
});
