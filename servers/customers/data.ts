import { z } from 'zod';
import { deepFreeze } from '../kit/search.ts';

export const CUSTOMER_TIERS = ['premium', 'standard', 'basic'] as const;
/** Every sample customer is active; no other status exists in the data. */
export const CUSTOMER_STATUSES = ['active'] as const;
export const SLA_LEVELS = ['platinum', 'gold', 'silver', 'bronze'] as const;

export const SlaTermsSchema = z.object({
  level: z.enum(SLA_LEVELS),
  response_time_hours: z.number().int(),
  resolution_time_hours: z.number().int(),
  support_hours: z.string(),
  dedicated_support: z.boolean(),
  escalation_contacts: z.array(z.string()),
});

export const ContactSchema = z.object({
  name: z.string(),
  email: z.string(),
  role: z.string(),
  phone: z.string(),
});

export const CustomerSchema = z.object({
  customer_id: z.string(),
  company_name: z.string(),
  email: z.string(),
  phone: z.string(),
  tier: z.enum(CUSTOMER_TIERS),
  status: z.enum(CUSTOMER_STATUSES),
  account_manager: z.string(),
  created_date: z.string(),
  last_activity: z.string(),
  sla_terms: SlaTermsSchema,
  contacts: z.array(ContactSchema),
});

/** One customer account with its SLA and contact people. */
export type Customer = z.infer<typeof CustomerSchema>;

/** The eight sample customers, in the order lookups walk them. */
export const CUSTOMERS: readonly Customer[] = deepFreeze<Customer[]>([
  {
    customer_id: 'CUST-001',
    company_name: 'TechCorp Industries',
    email: 'support@techcorp.com',
    phone: '+1-555-0101',
    tier: 'premium',
    status: 'active',
    account_manager: 'Alice Johnson',
    created_date: '2023-05-15',
    last_activity: '2025-10-05',
    sla_terms: {
      level: 'platinum',
      response_time_hours: 1,
      resolution_time_hours: 8,
      support_hours: '24/7',
      dedicated_support: true,
      escalation_contacts: ['manager@techcorp.com', 'cto@techcorp.com'],
    },
    contacts: [
      { name: 'David Chen', email: 'david.chen@techcorp.com', role: 'IT Director', phone: '+1-555-0102' },
      { name: 'Maria Garcia', email: 'maria.g@techcorp.com', role: 'Systems Administrator', phone: '+1-555-0103' },
    ],
  },
  {
    customer_id: 'CUST-002',
    company_name: 'DataFlow Solutions',
    email: 'it@dataflow.io',
    phone: '+1-555-0201',
    tier: 'premium',
    status: 'active',
    account_manager: 'Bob Martinez',
    created_date: '2022-11-20',
    last_activity: '2025-10-05',
    sla_terms: {
      level: 'gold',
      response_time_hours: 2,
      resolution_time_hours: 16,
      support_hours: '24/7',
      dedicated_support: true,
      escalation_contacts: ['ops@dataflow.io'],
    },
    contacts: [
      { name: 'Sarah Williams', email: 'sarah.w@dataflow.io', role: 'DevOps Lead', phone: '+1-555-0202' },
      { name: 'James Liu', email: 'james.l@dataflow.io', role: 'Infrastructure Manager', phone: '+1-555-0203' },
    ],
  },
  {
    customer_id: 'CUST-003',
    company_name: 'Global Enterprises Ltd',
    email: 'helpdesk@globalent.com',
    phone: '+1-555-0301',
    tier: 'standard',
    status: 'active',
    account_manager: 'Carol White',
    created_date: '2024-01-10',
    last_activity: '2025-10-03',
    sla_terms: {
      level: 'silver',
      response_time_hours: 4,
      resolution_time_hours: 24,
      support_hours: 'Business hours (9-5 EST)',
      dedicated_support: false,
      escalation_contacts: ['it.manager@globalent.com'],
    },
    contacts: [{ name: 'Robert Taylor', email: 'robert.t@globalent.com', role: 'IT Manager', phone: '+1-555-0302' }],
  },
  {
    customer_id: 'CUST-004',
    company_name: 'Innovate Systems',
    email: 'support@innovatesys.net',
    phone: '+1-555-0401',
    tier: 'standard',
    status: 'active',
    account_manager: 'Alice Johnson',
    created_date: '2023-08-22',
    last_activity: '2025-10-05',
    sla_terms: {
      level: 'silver',
      response_time_hours: 4,
      resolution_time_hours: 24,
      support_hours: 'Extended hours (7-9 EST)',
      dedicated_support: false,
      escalation_contacts: ['admin@innovatesys.net'],
    },
    contacts: [
      { name: 'Emily Brown', email: 'emily.b@innovatesys.net', role: 'Systems Engineer', phone: '+1-555-0402' },
      { name: 'Michael Davis', email: 'michael.d@innovatesys.net', role: 'Network Admin', phone: '+1-555-0403' },
    ],
  },
  {
    customer_id: 'CUST-005',
    company_name: 'CloudFirst Inc',
    email: 'tech@cloudfirst.cloud',
    phone: '+1-555-0501',
    tier: 'premium',
    status: 'active',
    account_manager: 'Bob Martinez',
    created_date: '2022-03-15',
    last_activity: '2025-10-05',
    sla_terms: {
      level: 'platinum',
      response_time_hours: 1,
      resolution_time_hours: 8,
      support_hours: '24/7',
      dedicated_support: true,
      escalation_contacts: ['ceo@cloudfirst.cloud', 'cto@cloudfirst.cloud'],
    },
    contacts: [
      { name: 'Lisa Anderson', email: 'lisa.a@cloudfirst.cloud', role: 'CTO', phone: '+1-555-0502' },
      { name: 'Tom Wilson', email: 'tom.w@cloudfirst.cloud', role: 'Senior DevOps', phone: '+1-555-0503' },
    ],
  },
  {
    customer_id: 'CUST-006',
    company_name: 'SecureNet Partners',
    email: 'info@securenet.biz',
    phone: '+1-555-0601',
    tier: 'basic',
    status: 'active',
    account_manager: 'Carol White',
    created_date: '2024-06-01',
    last_activity: '2025-10-02',
    sla_terms: {
      level: 'bronze',
      response_time_hours: 8,
      resolution_time_hours: 48,
      support_hours: 'Business hours (9-5 EST)',
      dedicated_support: false,
      escalation_contacts: [],
    },
    contacts: [{ name: 'Kevin Martinez', email: 'kevin.m@securenet.biz', role: 'IT Coordinator', phone: '+1-555-0602' }],
  },
  {
    customer_id: 'CUST-007',
    company_name: 'MegaCorp International',
    email: 'itsupport@megacorp.com',
    phone: '+1-555-0701',
    tier: 'premium',
    status: 'active',
    account_manager: 'Alice Johnson',
    created_date: '2021-09-10',
    last_activity: '2025-10-05',
    sla_terms: {
      level: 'gold',
      response_time_hours: 2,
      resolution_time_hours: 12,
      support_hours: '24/7',
      dedicated_support: true,
      escalation_contacts: ['director@megacorp.com'],
    },
    contacts: [
      { name: 'Patricia Lee', email: 'patricia.l@megacorp.com', role: 'Director of IT', phone: '+1-555-0702' },
      { name: 'Daniel Kim', email: 'daniel.k@megacorp.com', role: 'Senior SysAdmin', phone: '+1-555-0703' },
      { name: 'Jennifer Park', email: 'jennifer.p@megacorp.com', role: 'Network Specialist', phone: '+1-555-0704' },
    ],
  },
  {
    customer_id: 'CUST-008',
    company_name: 'StartupHub Ventures',
    email: 'tech@startuphub.io',
    phone: '+1-555-0801',
    tier: 'standard',
    status: 'active',
    account_manager: 'Bob Martinez',
    created_date: '2024-02-28',
    last_activity: '2025-09-30',
    sla_terms: {
      level: 'silver',
      response_time_hours: 4,
      resolution_time_hours: 24,
      support_hours: 'Extended hours (7-9 EST)',
      dedicated_support: false,
      escalation_contacts: ['founder@startuphub.io'],
    },
    contacts: [{ name: 'Alex Thompson', email: 'alex.t@startuphub.io', role: 'Tech Lead', phone: '+1-555-0802' }],
  },
]);

/** The customer with exactly this ID, if any. */
export function customerById(id: string): Customer | undefined {
  return CUSTOMERS.find((c) => c.customer_id === id);
}
