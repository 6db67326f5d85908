import { z } from 'zod';
import { deepFreeze } from '../kit/search.ts';

export const TICKET_STATUSES = ['open', 'in_progress', 'resolved'] as const;
export const TICKET_PRIORITIES = ['critical', 'high', 'medium', 'low'] as const;
export const TICKET_CATEGORIES = [
  'OS Issues', 'Network', 'Software', 'Storage', 'Backup', 'Security', 'Migration',
  'Active Directory', 'Performance', 'Drivers',
] as const;

export const TicketSchema = z.object({
  ticket_id: z.string(),
  customer_id: z.string(),
  subject: z.string(),
  description: z.string(),
  status: z.enum(TICKET_STATUSES),
  priority: z.enum(TICKET_PRIORITIES),
  category: z.enum(TICKET_CATEGORIES),
  os: z.string(),
  assignee: z.string(),
  created_date: z.string(),
  last_updated: z.string(),
  resolution: z.string().optional(),
  tags: z.array(z.string()),
});

/** One support ticket. */
export type Ticket = z.infer<typeof TicketSchema>;

/**
 * The fifteen sample tickets. TKT-1001 and TKT-1004 are critical so that the worked example
 * of the architecture document ("critical tickets of CUST-001") is true of the data.
 */
export const TICKETS: readonly Ticket[] = deepFreeze<Ticket[]>([
  {
    ticket_id: 'TKT-1001', customer_id: 'CUST-001',
    subject: 'Windows 11 BSOD - DRIVER_IRQL_NOT_LESS_OR_EQUAL',
    description: 'User gets frequent blue screens with stop code DRIVER_IRQL_NOT_LESS_OR_EQUAL, mostly during video calls or with many applications open at once.',
    status: 'open', priority: 'critical', category: 'OS Issues', os: 'Windows 11', assignee: 'John Doe',
    created_date: '2025-10-01', last_updated: '2025-10-04',
    tags: ['bsod', 'windows', 'driver', 'critical'],
  },
  {
    ticket_id: 'TKT-1002', customer_id: 'CUST-002',
    subject: 'Linux server disk full - /var/log consuming 95% space',
    description: 'Production Ubuntu 22.04 machine: /var/log has grown to 95% of the volume because log rotation stopped working.',
    status: 'in_progress', priority: 'critical', category: 'OS Issues', os: 'Linux', assignee: 'Jane Smith',
    created_date: '2025-10-02', last_updated: '2025-10-05',
    tags: ['linux', 'disk-space', 'logs', 'urgent'],
  },
  {
    ticket_id: 'TKT-1003', customer_id: 'CUST-003',
    subject: 'macOS Sonoma kernel panic on wake from sleep',
    description: 'A MacBook Pro panics and restarts when it wakes from sleep, starting with the Sonoma 14.6 update.',
    status: 'resolved', priority: 'medium', category: 'OS Issues', os: 'macOS', assignee: 'Bob Wilson',
    created_date: '2025-09-28', last_updated: '2025-10-03',
    resolution: 'Reset the SMC and NVRAM and updated the third-party kernel extensions; no panic since.',
    tags: ['macos', 'kernel-panic', 'sleep', 'resolved'],
  },
  {
    ticket_id: 'TKT-1004', customer_id: 'CUST-001',
    subject: 'Windows Server 2022 slow network performance',
    description: 'The file server transfers at about 10 Mbps although the link is 1 Gbps. Hardware diagnostics all passed.',
    status: 'open', priority: 'critical', category: 'Network', os: 'Windows Server 2022', assignee: 'Sarah Lee',
    created_date: '2025-10-03', last_updated: '2025-10-05',
    tags: ['windows-server', 'network', 'performance'],
  },
  {
    ticket_id: 'TKT-1005', customer_id: 'CUST-004',
    subject: 'Ubuntu 24.04 apt update failing - repository errors',
    description: 'Every package refresh stops with 404 errors from archive.ubuntu.com.',
    status: 'resolved', priority: 'medium', category: 'Software', os: 'Ubuntu 24.04', assignee: 'Mike Chen',
    created_date: '2025-09-30', last_updated: '2025-10-01',
    resolution: 'Pointed sources.list at a working mirror and refreshed the package cache.',
    tags: ['linux', 'apt', 'package-management', 'resolved'],
  },
  {
    ticket_id: 'TKT-1006', customer_id: 'CUST-005',
    subject: 'Windows 10 constant freezing during file operations',
    description: 'The machine hangs for 30 to 60 seconds when copying large files or opening File Explorer. Event Viewer lists ntfs errors.',
    status: 'in_progress', priority: 'high', category: 'Storage', os: 'Windows 10', assignee: 'John Doe',
    created_date: '2025-10-04', last_updated: '2025-10-05',
    tags: ['windows', 'filesystem', 'ntfs', 'performance'],
  },
  {
    ticket_id: 'TKT-1007', customer_id: 'CUST-002',
    subject: 'Debian server SSH authentication very slow (20+ seconds)',
    description: 'Logging in over SSH takes 20 to 30 seconds before the password prompt; once connected everything is fast. No DNS issues found so far.',
    status: 'open', priority: 'medium', category: 'Network', os: 'Debian 12', assignee: 'Jane Smith',
    created_date: '2025-10-05', last_updated: '2025-10-05',
    tags: ['linux', 'ssh', 'authentication', 'performance'],
  },
  {
    ticket_id: 'TKT-1008', customer_id: 'CUST-006',
    subject: 'macOS Time Machine backup failing to network drive',
    description: 'Backups to the Synology NAS stop with "The backup disk image could not be accessed".',
    status: 'open', priority: 'low', category: 'Backup', os: 'macOS Ventura', assignee: 'Bob Wilson',
    created_date: '2025-10-01', last_updated: '2025-10-02',
    tags: ['macos', 'backup', 'time-machine', 'nas'],
  },
  {
    ticket_id: 'TKT-1009', customer_id: 'CUST-007',
    subject: 'Windows 11 BitLocker recovery key prompt on every boot',
    description: 'Since a BIOS update the laptop asks for the recovery key at every start, although the TPM reports as enabled.',
    status: 'in_progress', priority: 'critical', category: 'Security', os: 'Windows 11', assignee: 'Sarah Lee',
    created_date: '2025-10-02', last_updated: '2025-10-05',
    tags: ['windows', 'bitlocker', 'encryption', 'tpm'],
  },
  {
    ticket_id: 'TKT-1010', customer_id: 'CUST-003',
    subject: 'CentOS 7 EOL - migration planning assistance',
    description: 'CentOS 7 reached end of life in June 2024; the customer needs a plan to move 12 production servers to Rocky Linux or AlmaLinux.',
    status: 'open', priority: 'high', category: 'Migration', os: 'CentOS 7', assignee: 'Mike Chen',
    created_date: '2025-09-25', last_updated: '2025-10-04',
    tags: ['linux', 'migration', 'centos', 'eol'],
  },
  {
    ticket_id: 'TKT-1011', customer_id: 'CUST-008',
    subject: 'Windows Server 2019 Active Directory replication failing',
    description: 'Replication between DC1 and DC2 fails with Event ID 2042.',
    status: 'resolved', priority: 'critical', category: 'Active Directory', os: 'Windows Server 2019', assignee: 'Sarah Lee',
    created_date: '2025-09-29', last_updated: '2025-09-30',
    resolution: 'Forced a sync and corrected the DNS records of the domain controllers; replication is healthy again.',
    tags: ['windows-server', 'active-directory', 'replication', 'resolved'],
  },
  {
    ticket_id: 'TKT-1012', customer_id: 'CUST-004',
    subject: 'Ubuntu server high CPU usage - unknown process',
    description: 'A process shown as [kworker/u8:2] keeps the CPU above 90% and the whole system is slow to respond.',
    status: 'in_progress', priority: 'high', category: 'Performance', os: 'Ubuntu 22.04', assignee: 'Mike Chen',
    created_date: '2025-10-04', last_updated: '2025-10-05',
    tags: ['linux', 'cpu', 'performance', 'kworker'],
  },
  {
    ticket_id: 'TKT-1013', customer_id: 'CUST-005',
    subject: 'macOS Monterey unable to connect to VPN',
    description: 'The IPSec VPN stopped connecting after a macOS update; the client reports that the domain name could not be resolved.',
    status: 'open', priority: 'medium', category: 'Network', os: 'macOS Monterey', assignee: 'Bob Wilson',
    created_date: '2025-10-03', last_updated: '2025-10-04',
    tags: ['macos', 'vpn', 'ipsec', 'dns'],
  },
  {
    ticket_id: 'TKT-1014', customer_id: 'CUST-006',
    subject: 'Windows 11 Start Menu and taskbar not responding',
    description: 'Start menu, taskbar and tray icons stop reacting to clicks. Restarting Explorer.exe helps for only 5 to 10 minutes.',
    status: 'open', priority: 'high', category: 'OS Issues', os: 'Windows 11', assignee: 'John Doe',
    created_date: '2025-10-05', last_updated: '2025-10-05',
    tags: ['windows', 'explorer', 'taskbar', 'gui'],
  },
  {
    ticket_id: 'TKT-1015', customer_id: 'CUST-007',
    subject: 'RHEL 9 - kernel update breaking NVIDIA drivers',
    description: 'After an automatic kernel update the NVIDIA module no longer loads, the display falls back to low resolution and the DKMS rebuild fails.',
    status: 'in_progress', priority: 'medium', category: 'Drivers', os: 'RHEL 9', assignee: 'Jane Smith',
    created_date: '2025-10-02', last_updated: '2025-10-05',
    tags: ['linux', 'nvidia', 'drivers', 'kernel', 'dkms'],
  },
]);
