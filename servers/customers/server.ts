import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { buildToolServer, type ServerDeps } from '../kit/server.ts';
import { customerCatalog } from './catalog.ts';
import { checkCustomerStatus } from './tools/check-customer-status.ts';
import { getSlaTerms } from './tools/get-sla-terms.ts';
import { listCustomerContacts } from './tools/list-customer-contacts.ts';
import { lookupCustomer } from './tools/lookup-customer.ts';

/** The customer server's four tools, in the order tools/list reports them. */
export const customerTools = [lookupCustomer, checkCustomerStatus, getSlaTerms, listCustomerContacts];

/** Builds the customer-database MCP server; connect it to any transport. */
export function buildServer(deps: ServerDeps): Server {
  return buildToolServer({ name: 'customer-database-server', version: '1.0.0', tools: customerTools, catalog: customerCatalog }, deps);
}
