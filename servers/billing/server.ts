import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { buildToolServer, type ServerDeps } from '../kit/server.ts';
import { billingCatalog } from './catalog.ts';
import { calculateOutstandingBalance } from './tools/calculate-outstanding-balance.ts';
import { checkPaymentStatus } from './tools/check-payment-status.ts';
import { getBillingHistory } from './tools/get-billing-history.ts';
import { getInvoice } from './tools/get-invoice.ts';

/** The billing server's four tools, in the order tools/list reports them. */
export const billingTools = [getInvoice, checkPaymentStatus, getBillingHistory, calculateOutstandingBalance];

/** Builds the billing MCP server; connect it to any transport. */
export function buildServer(deps: ServerDeps): Server {
  return buildToolServer({ name: 'billing-server', version: '1.0.0', tools: billingTools, catalog: billingCatalog }, deps);
}
