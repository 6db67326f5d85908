import { z } from 'zod';
import { deepFreeze } from '../kit/search.ts';
import { kb001 } from './articles/kb-001.ts';
import { kb002 } from './articles/kb-002.ts';
import { kb003 } from './articles/kb-003.ts';
import { kb004 } from './articles/kb-004.ts';
import { kb005 } from './articles/kb-005.ts';
import { kb006 } from './articles/kb-006.ts';
import { kb007 } from './articles/kb-007.ts';
import { kb008 } from './articles/kb-008.ts';
import { kb009 } from './articles/kb-009.ts';
import { kb010 } from './articles/kb-010.ts';

export const KB_CATEGORIES = [
  'Windows Troubleshooting',
  'Linux Administration',
  'macOS Support',
  'Network Issues',
  'Windows Security',
  'Active Directory',
] as const;

export const ArticleSchema = z.object({
  article_id: z.string(),
  title: z.string(),
  category: z.enum(KB_CATEGORIES),
  content: z.string().describe('The full article as markdown.'),
  tags: z.array(z.string()),
  related_products: z.array(z.string()),
  last_updated: z.string(),
  views: z.number().int(),
  helpful_count: z.number().int(),
});

/** One knowledge-base article. */
export type Article = z.infer<typeof ArticleSchema>;

/**
 * The ten sample articles. Search scores depend on which words the bodies contain (lower-case
 * substring test), so the bodies in ./articles keep these rules; kb.test.ts checks them:
 * - "windows" only in KB-001 and KB-008; "network" only in KB-001, KB-004 and KB-009;
 *   "linux" only in KB-010; "performance" only in KB-004; "ssh" only in KB-007;
 *   "bitlocker" only in KB-008; "kernel" only in KB-003 and KB-010; "disk" only in KB-002 and KB-006.
 * - Nowhere: "bsod", "blue", "screen", "troubleshooting", "disk space".
 */
export const KB_ARTICLES: readonly Article[] = deepFreeze<Article[]>([
  {
    article_id: 'KB-001',
    title: 'Resolving Windows BSOD DRIVER_IRQL_NOT_LESS_OR_EQUAL',
    category: 'Windows Troubleshooting',
    content: kb001,
    tags: ['windows', 'bsod', 'driver', 'critical', 'blue-screen'],
    related_products: ['Windows 10', 'Windows 11', 'Windows Server'],
    last_updated: '2025-09-15',
    views: 1523,
    helpful_count: 142,
  },
  {
    article_id: 'KB-002',
    title: 'Linux Disk Space Management - Cleaning /var/log',
    category: 'Linux Administration',
    content: kb002,
    tags: ['linux', 'disk-space', 'logs', 'logrotate', 'administration'],
    related_products: ['Ubuntu', 'Debian', 'CentOS', 'RHEL'],
    last_updated: '2025-10-01',
    views: 2341,
    helpful_count: 203,
  },
  {
    article_id: 'KB-003',
    title: 'macOS Kernel Panic Troubleshooting Guide',
    category: 'macOS Support',
    content: kb003,
    tags: ['macos', 'kernel-panic', 'troubleshooting', 'smc', 'nvram'],
    related_products: ['macOS Sonoma', 'macOS Ventura', 'macOS Monterey'],
    last_updated: '2025-09-28',
    views: 987,
    helpful_count: 88,
  },
  {
    article_id: 'KB-004',
    title: 'Network Performance Troubleshooting on Windows Server',
    category: 'Network Issues',
    content: kb004,
    tags: ['windows-server', 'network', 'performance', 'troubleshooting'],
    related_products: ['Windows Server 2019', 'Windows Server 2022'],
    last_updated: '2025-10-03',
    views: 1654,
    helpful_count: 156,
  },
  {
    article_id: 'KB-005',
    title: 'Ubuntu APT Package Manager Issues and Solutions',
    category: 'Linux Administration',
    content: kb005,
    tags: ['linux', 'ubuntu', 'apt', 'package-management', 'troubleshooting'],
    related_products: ['Ubuntu 22.04', 'Ubuntu 24.04', 'Debian'],
    last_updated: '2025-09-30',
    views: 3210,
    helpful_count: 287,
  },
  {
    article_id: 'KB-006',
    title: 'Windows NTFS File System Corruption Repair',
    category: 'Windows Troubleshooting',
    content: kb006,
    tags: ['windows', 'ntfs', 'filesystem', 'corruption', 'chkdsk'],
    related_products: ['Windows 10', 'Windows 11', 'Windows Server'],
    last_updated: '2025-10-04',
    views: 1876,
    helpful_count: 165,
  },
  {
    article_id: 'KB-007',
    title: 'SSH Slow Authentication on Linux - Solutions',
    category: 'Linux Administration',
    content: kb007,
    tags: ['linux', 'ssh', 'authentication', 'performance', 'network'],
    related_products: ['Debian', 'Ubuntu', 'CentOS', 'RHEL'],
    last_updated: '2025-10-05',
    views: 1432,
    helpful_count: 128,
  },
  {
    article_id: 'KB-008',
    title: 'BitLocker Recovery Key Issues After BIOS Update',
    category: 'Windows Security',
    content: kb008,
    tags: ['windows', 'bitlocker', 'encryption', 'tpm', 'security'],
    related_products: ['Windows 10', 'Windows 11'],
    last_updated: '2025-10-02',
    views: 2103,
    helpful_count: 189,
  },
  {
    article_id: 'KB-009',
    title: 'Active Directory Replication Troubleshooting',
    category: 'Active Directory',
    content: kb009,
    tags: ['active-directory', 'windows-server', 'replication', 'dcdiag'],
    related_products: ['Windows Server 2016', 'Windows Server 2019', 'Windows Server 2022'],
    last_updated: '2025-09-29',
    views: 1765,
    helpful_count: 172,
  },
  {
    article_id: 'KB-010',
    title: 'Linux High CPU from kworker Processes',
    category: 'Linux Administration',
    content: kb010,
    tags: ['linux', 'cpu', 'performance', 'kworker', 'kernel'],
    related_products: ['Ubuntu', 'Debian', 'CentOS', 'RHEL'],
    last_updated: '2025-10-04',
    views: 1543,
    helpful_count: 134,
  },
]);
