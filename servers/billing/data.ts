import { z } from 'zod';
import { deepFreeze } from '../kit/search.ts';

export const INVOICE_STATUSES = ['paid', 'pending', 'overdue'] as const;

export const InvoiceSchema = z.object({
  invoice_id: z.string(),
  customer_id: z.string(),
  ticket_id: z.string().nullable(),
  amount: z.number(),
  currency: z.literal('USD'),
  status: z.enum(INVOICE_STATUSES),
  issue_date: z.string(),
  due_date: z.string(),
  paid_date: z.string().nullable(),
  description: z.string(),
  line_items: z.array(z.object({ description: z.string(), amount: z.number() })),
});

/** One invoice as stored; overdue state is not stored here but derived per call from the clock. */
export type Invoice = z.infer<typeof InvoiceSchema>;

/**
 * The fifteen sample invoices, in the reference order (INV-2025-013 comes after the two 2024
 * invoices). The stored `status` is the status as authored; only "paid" is trusted when
 * deciding whether an invoice is overdue.
 */
export const INVOICES: readonly Invoice[] = deepFreeze<Invoice[]>([
  {
    invoice_id: 'INV-2025-001', customer_id: 'CUST-001', ticket_id: 'TKT-1001', amount: 450, currency: 'USD',
    status: 'paid', issue_date: '2025-09-15', due_date: '2025-10-15', paid_date: '2025-09-20',
    description: 'Premium support - Windows BSOD investigation and resolution',
    line_items: [{ description: 'Senior engineer hours (3h)', amount: 450 }],
  },
  {
    invoice_id: 'INV-2025-002', customer_id: 'CUST-002', ticket_id: 'TKT-1002', amount: 850, currency: 'USD',
    status: 'pending', issue_date: '2025-10-01', due_date: '2025-10-31', paid_date: null,
    description: 'Critical incident - Linux server disk space emergency response',
    line_items: [
      { description: 'Emergency response fee', amount: 250 },
      { description: 'Engineer hours (4h)', amount: 600 },
    ],
  },
  {
    invoice_id: 'INV-2025-003', customer_id: 'CUST-003', ticket_id: 'TKT-1003', amount: 300, currency: 'USD',
    status: 'paid', issue_date: '2025-09-28', due_date: '2025-10-28', paid_date: '2025-10-02',
    description: 'macOS kernel panic diagnosis and fix',
    line_items: [{ description: 'Standard support hours (2h)', amount: 300 }],
  },
  {
    invoice_id: 'INV-2025-004', customer_id: 'CUST-001', ticket_id: 'TKT-1004', amount: 600, currency: 'USD',
    status: 'pending', issue_date: '2025-10-03', due_date: '2025-11-02', paid_date: null,
    description: 'Network performance troubleshooting - Windows Server',
    line_items: [{ description: 'Network analysis (4h)', amount: 600 }],
  },
  {
    invoice_id: 'INV-2025-005', customer_id: 'CUST-004', ticket_id: 'TKT-1005', amount: 200, currency: 'USD',
    status: 'paid', issue_date: '2025-09-30', due_date: '2025-10-30', paid_date: '2025-10-01',
    description: 'Ubuntu repository configuration fix',
    line_items: [{ description: 'Standard support (1.5h)', amount: 200 }],
  },
  {
    invoice_id: 'INV-2025-006', customer_id: 'CUST-005', ticket_id: 'TKT-1006', amount: 500, currency: 'USD',
    status: 'pending', issue_date: '2025-10-04', due_date: '2025-11-03', paid_date: null,
    description: 'Windows filesystem troubleshooting - ongoing',
    line_items: [{ description: 'Investigation and diagnostics (3h)', amount: 500 }],
  },
  {
    invoice_id: 'INV-2025-007', customer_id: 'CUST-002', ticket_id: 'TKT-1007', amount: 350, currency: 'USD',
    status: 'overdue', issue_date: '2025-09-05', due_date: '2025-10-05', paid_date: null,
    description: 'SSH performance optimization - Debian server',
    line_items: [{ description: 'Performance tuning (2.5h)', amount: 350 }],
  },
  {
    invoice_id: 'INV-2025-008', customer_id: 'CUST-006', ticket_id: 'TKT-1008', amount: 150, currency: 'USD',
    status: 'pending', issue_date: '2025-10-01', due_date: '2025-10-31', paid_date: null,
    description: 'macOS Time Machine backup troubleshooting',
    line_items: [{ description: 'Basic support (1h)', amount: 150 }],
  },
  {
    invoice_id: 'INV-2025-009', customer_id: 'CUST-007', ticket_id: 'TKT-1009', amount: 750, currency: 'USD',
    status: 'pending', issue_date: '2025-10-02', due_date: '2025-11-01', paid_date: null,
    description: 'Critical BitLocker recovery - Windows 11',
    line_items: [
      { description: 'Emergency support', amount: 200 },
      { description: 'Senior engineer (3.5h)', amount: 550 },
    ],
  },
  {
    invoice_id: 'INV-2025-010', customer_id: 'CUST-003', ticket_id: 'TKT-1010', amount: 1500, currency: 'USD',
    status: 'pending', issue_date: '2025-09-25', due_date: '2025-10-25', paid_date: null,
    description: 'CentOS migration planning and consultation',
    line_items: [
      { description: 'Migration assessment', amount: 500 },
      { description: 'Planning consultation (6h)', amount: 1000 },
    ],
  },
  {
    invoice_id: 'INV-2025-011', customer_id: 'CUST-008', ticket_id: 'TKT-1011', amount: 900, currency: 'USD',
    status: 'paid', issue_date: '2025-09-29', due_date: '2025-10-29', paid_date: '2025-09-30',
    description: 'Active Directory replication fix - critical',
    line_items: [{ description: 'Emergency AD repair (5h)', amount: 900 }],
  },
  {
    invoice_id: 'INV-2025-012', customer_id: 'CUST-004', ticket_id: 'TKT-1012', amount: 400, currency: 'USD',
    status: 'pending', issue_date: '2025-10-04', due_date: '2025-11-03', paid_date: null,
    description: 'Ubuntu high CPU investigation - ongoing',
    line_items: [{ description: 'System analysis (2.5h)', amount: 400 }],
  },
  {
    invoice_id: 'INV-2024-088', customer_id: 'CUST-005', ticket_id: null, amount: 2500, currency: 'USD',
    status: 'paid', issue_date: '2024-12-01', due_date: '2024-12-31', paid_date: '2024-12-15',
    description: 'Monthly premium support retainer - December 2024',
    line_items: [{ description: 'Premium support package', amount: 2500 }],
  },
  {
    invoice_id: 'INV-2024-075', customer_id: 'CUST-002', ticket_id: null, amount: 1800, currency: 'USD',
    status: 'overdue', issue_date: '2024-11-15', due_date: '2024-12-15', paid_date: null,
    description: 'Quarterly infrastructure review - Q4 2024',
    line_items: [{ description: 'Infrastructure audit', amount: 1800 }],
  },
  {
    invoice_id: 'INV-2025-013', customer_id: 'CUST-006', ticket_id: 'TKT-1014', amount: 275, currency: 'USD',
    status: 'pending', issue_date: '2025-10-05', due_date: '2025-11-04', paid_date: null,
    description: 'Windows 11 taskbar troubleshooting',
    line_items: [{ description: 'Support hours (2h)', amount: 275 }],
  },
]);
