import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { buildToolServer, type ServerDeps } from '../kit/server.ts';
import { ticketCatalog } from './catalog.ts';
import { findSimilarTickets } from './tools/find-similar-tickets.ts';
import { getTicketDetails } from './tools/get-ticket-details.ts';
import { getTicketMetrics } from './tools/get-ticket-metrics.ts';
import { searchTickets } from './tools/search-tickets.ts';

/** The ticket server's four tools, in the order tools/list reports them. */
export const ticketTools = [searchTickets, getTicketDetails, getTicketMetrics, findSimilarTickets];

/** Builds the ticket-management MCP server; connect it to any transport. */
export function buildServer(deps: ServerDeps): Server {
  return buildToolServer({ name: 'ticket-management-server', version: '1.0.0', tools: ticketTools, catalog: ticketCatalog }, deps);
}
