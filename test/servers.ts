import { resolve } from 'node:path';

/** The five built-in servers as the integration tests know them. */
export const SERVERS = [
  {
    folder: 'tickets',
    mcpName: 'ticket-management-server',
    tools: ['search_tickets', 'get_ticket_details', 'get_ticket_metrics', 'find_similar_tickets'],
    probe: { name: 'search_tickets', args: { customer_id: 'CUST-001', priority: 'critical' }, expect: 'TKT-1004' },
  },
  {
    folder: 'customers',
    mcpName: 'customer-database-server',
    tools: ['lookup_customer', 'check_customer_status', 'get_sla_terms', 'list_customer_contacts'],
    probe: { name: 'lookup_customer', args: { company_name: 'TechCorp' }, expect: 'CUST-001' },
  },
  {
    folder: 'billing',
    mcpName: 'billing-server',
    tools: ['get_invoice', 'check_payment_status', 'get_billing_history', 'calculate_outstanding_balance'],
    probe: { name: 'calculate_outstanding_balance', args: { customer_id: 'CUST-002' }, expect: '"overdue_amount":2150' },
  },
  {
    folder: 'kb',
    mcpName: 'knowledge-base-server',
    tools: ['search_solutions', 'get_article', 'find_related_articles', 'get_common_fixes'],
    probe: { name: 'search_solutions', args: { query: 'BSOD' }, expect: 'KB-001' },
  },
  {
    folder: 'assets',
    mcpName: 'asset-management-server',
    tools: ['lookup_asset', 'check_warranty', 'get_software_licenses', 'get_asset_history'],
    probe: { name: 'check_warranty', args: { asset_id: 'AST-SRV-002' }, expect: '"remaining_days":-45' },
  },
] as const;

export const ROOT = resolve(import.meta.dirname, '..');

/** Path of a server's bundle (built by the global setup). */
export const bundleOf = (folder: string): string => resolve(ROOT, 'dist', 'servers', `${folder}.mjs`);
