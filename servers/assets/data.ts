import { z } from 'zod';
import { deepFreeze } from '../kit/search.ts';

export const ASSET_TYPES = ['workstation', 'server', 'laptop', 'network', 'storage'] as const;
export const LICENSE_TYPES = ['perpetual', 'subscription'] as const;

/**
 * Warranty terms as stored: only dates and coverage. Status and days left depend on the
 * clock, so they are derived per call (see warranty.ts) and never kept here.
 */
export const WarrantyTermsSchema = z.object({
  start_date: z.string(),
  end_date: z.string(),
  coverage_type: z.string(),
});

/** Hardware details; which keys appear depends on the kind of device. */
export const SpecsSchema = z.object({
  cpu: z.string().optional(),
  ram_gb: z.number().int().optional(),
  storage: z.string().optional(),
  ports: z.string().optional(),
  uplinks: z.string().optional(),
  power: z.string().optional(),
  firmware: z.string().optional(),
  bays: z.string().optional(),
  capacity: z.string().optional(),
  os: z.string().optional(),
});

export const LicenseSchema = z.object({
  software: z.string(),
  license_key: z.string(),
  expiration: z.string().describe('Expiry day (YYYY-MM-DD) or "perpetual".'),
  type: z.enum(LICENSE_TYPES),
});

export const AssetSchema = z.object({
  asset_id: z.string(),
  serial_number: z.string(),
  hostname: z.string(),
  asset_type: z.enum(ASSET_TYPES),
  customer_id: z.string(),
  manufacturer: z.string(),
  model: z.string(),
  status: z.string(),
  location: z.string(),
  purchase_date: z.string(),
  warranty: WarrantyTermsSchema,
  specs: SpecsSchema,
  assigned_to: z.string(),
  last_maintenance: z.string(),
  software_licenses: z.array(LicenseSchema).optional(),
});

/** One hardware asset. */
export type Asset = z.infer<typeof AssetSchema>;
/** Stored warranty terms of one asset. */
export type WarrantyTerms = z.infer<typeof WarrantyTermsSchema>;

/** The twelve sample assets; in every one the warranty starts on the purchase day. */
export const ASSETS: readonly Asset[] = deepFreeze<Asset[]>([
  {
    asset_id: 'AST-WKS-001', serial_number: '5CD23456ABC', hostname: 'wks-techcorp-01.techcorp.local',
    asset_type: 'workstation', customer_id: 'CUST-001', manufacturer: 'Dell', model: 'OptiPlex 7090',
    status: 'active', location: 'TechCorp HQ - Floor 3', purchase_date: '2024-01-15',
    warranty: { start_date: '2024-01-15', end_date: '2027-01-15', coverage_type: 'ProSupport Plus' },
    specs: { cpu: 'Intel Core i7-11700', ram_gb: 32, storage: '512GB NVMe SSD', os: 'Windows 11 Pro' },
    assigned_to: 'david.chen@techcorp.com', last_maintenance: '2025-08-10',
  },
  {
    asset_id: 'AST-SRV-001', serial_number: 'VMW-789-XYZ-456', hostname: 'sql-prod-01.dataflow.local',
    asset_type: 'server', customer_id: 'CUST-002', manufacturer: 'HPE', model: 'ProLiant DL380 Gen10',
    status: 'active', location: 'DataFlow Data Center - Rack 12', purchase_date: '2023-06-20',
    warranty: { start_date: '2023-06-20', end_date: '2026-06-20', coverage_type: '24x7 4-hour response' },
    specs: {
      cpu: '2x Intel Xeon Gold 6226R', ram_gb: 256, storage: '8x 1.2TB SAS HDD (RAID 10)', os: 'Ubuntu Server 22.04 LTS',
    },
    assigned_to: 'Infrastructure Team', last_maintenance: '2025-09-15',
    software_licenses: [
      { software: 'Microsoft SQL Server 2022 Enterprise', license_key: 'XXXXX-XXXXX-XXXXX-XXXXX', expiration: '2026-06-01', type: 'perpetual' },
    ],
  },
  {
    asset_id: 'AST-WKS-002', serial_number: 'C02YZ8JKLVCG', hostname: 'mbp-globalent-exec',
    asset_type: 'laptop', customer_id: 'CUST-003', manufacturer: 'Apple', model: 'MacBook Pro 16-inch M3 Max',
    status: 'active', location: 'Remote - Executive', purchase_date: '2024-11-10',
    warranty: { start_date: '2024-11-10', end_date: '2025-11-10', coverage_type: 'AppleCare+' },
    specs: { cpu: 'Apple M3 Max', ram_gb: 64, storage: '2TB SSD', os: 'macOS Sonoma 14.6' },
    assigned_to: 'robert.t@globalent.com', last_maintenance: '2025-09-01',
  },
  {
    asset_id: 'AST-SRV-002', serial_number: 'SRV-INV-2023-445', hostname: 'web-app-01.innovatesys.net',
    asset_type: 'server', customer_id: 'CUST-004', manufacturer: 'Supermicro', model: 'SuperServer 1029P',
    status: 'active', location: 'AWS us-east-1 (Virtual)', purchase_date: '2023-08-22',
    warranty: { start_date: '2023-08-22', end_date: '2025-08-22', coverage_type: 'Standard support' },
    specs: { cpu: 'Intel Xeon Silver 4210R', ram_gb: 64, storage: '2TB NVMe SSD', os: 'Ubuntu 24.04 LTS' },
    assigned_to: 'DevOps Team', last_maintenance: '2025-07-20',
    software_licenses: [
      { software: 'NGINX Plus', license_key: 'NGX-PLUS-2024-XXX', expiration: '2025-12-31', type: 'subscription' },
    ],
  },
  {
    asset_id: 'AST-WKS-003', serial_number: 'DT-CF-789-2022', hostname: 'dev-wks-cloudfirst-05',
    asset_type: 'workstation', customer_id: 'CUST-005', manufacturer: 'Lenovo', model: 'ThinkStation P620',
    status: 'active', location: 'CloudFirst - Development Lab', purchase_date: '2022-11-05',
    warranty: { start_date: '2022-11-05', end_date: '2025-11-05', coverage_type: 'Premier Support' },
    specs: {
      cpu: 'AMD Threadripper PRO 5975WX', ram_gb: 128, storage: '2TB NVMe SSD + 4TB HDD',
      os: 'Windows 11 Pro for Workstations',
    },
    assigned_to: 'tom.w@cloudfirst.cloud', last_maintenance: '2025-06-15',
    software_licenses: [
      { software: 'VMware Workstation Pro', license_key: 'VMW-XXXXX-XXXXX', expiration: 'perpetual', type: 'perpetual' },
      { software: 'Visual Studio Enterprise 2022', license_key: 'VS-ENT-XXXXX', expiration: '2026-01-15', type: 'subscription' },
    ],
  },
  {
    asset_id: 'AST-NET-001', serial_number: 'CISCO-C9300-48P-SN123', hostname: 'sw-core-01.securenet.local',
    asset_type: 'network', customer_id: 'CUST-006', manufacturer: 'Cisco', model: 'Catalyst 9300-48P',
    status: 'active', location: 'SecureNet - Main IDF', purchase_date: '2024-06-01',
    warranty: { start_date: '2024-06-01', end_date: '2027-06-01', coverage_type: 'SMARTnet 8x5xNBD' },
    specs: { ports: '48x 1G PoE+', uplinks: '4x 10G SFP+', power: 'Dual redundant PSU', firmware: 'IOS-XE 17.9.4' },
    assigned_to: 'Network Infrastructure', last_maintenance: '2025-09-20',
  },
  {
    asset_id: 'AST-SRV-003', serial_number: 'HPE-DL360-G10-789456', hostname: 'dc01.megacorp.local',
    asset_type: 'server', customer_id: 'CUST-007', manufacturer: 'HPE', model: 'ProLiant DL360 Gen10',
    status: 'active', location: 'MegaCorp HQ - Server Room A', purchase_date: '2022-03-10',
    warranty: { start_date: '2022-03-10', end_date: '2027-03-10', coverage_type: '5-year 24x7 4-hour response' },
    specs: {
      cpu: '2x Intel Xeon Gold 6230', ram_gb: 192, storage: '4x 900GB SAS (RAID 5)', os: 'Windows Server 2019 Standard',
    },
    assigned_to: 'IT Infrastructure', last_maintenance: '2025-08-25',
    software_licenses: [
      { software: 'Windows Server 2019 Standard', license_key: 'WIN-SRV-2019-XXX', expiration: 'perpetual', type: 'perpetual' },
      { software: 'Veeam Backup & Replication', license_key: 'VEEAM-XXX-YYY', expiration: '2026-03-01', type: 'subscription' },
    ],
  },
  {
    asset_id: 'AST-SRV-004', serial_number: 'DELL-R740-XD-998877', hostname: 'docker-host-01.megacorp.local',
    asset_type: 'server', customer_id: 'CUST-007', manufacturer: 'Dell', model: 'PowerEdge R740xd',
    status: 'active', location: 'MegaCorp HQ - Server Room B', purchase_date: '2023-07-15',
    warranty: { start_date: '2023-07-15', end_date: '2026-07-15', coverage_type: 'ProSupport Plus 24x7' },
    specs: {
      cpu: '2x Intel Xeon Gold 6248R', ram_gb: 384, storage: '12x 4TB SATA (RAID 6)', os: 'Red Hat Enterprise Linux 9',
    },
    assigned_to: 'Container Platform Team', last_maintenance: '2025-09-10',
    software_licenses: [
      { software: 'Red Hat Enterprise Linux', license_key: 'RHEL-SUB-XXXXX', expiration: '2026-07-15', type: 'subscription' },
      { software: 'Docker Enterprise', license_key: 'DOCKER-EE-XXXXX', expiration: '2026-01-01', type: 'subscription' },
    ],
  },
  {
    asset_id: 'AST-WKS-004', serial_number: 'ASUS-PN64-456789', hostname: 'kiosk-startuphub-lobby',
    asset_type: 'workstation', customer_id: 'CUST-008', manufacturer: 'ASUS', model: 'PN64 Mini PC',
    status: 'active', location: 'StartupHub - Lobby', purchase_date: '2024-02-28',
    warranty: { start_date: '2024-02-28', end_date: '2027-02-28', coverage_type: '3-year on-site' },
    specs: { cpu: 'Intel Core i5-12500H', ram_gb: 16, storage: '256GB NVMe SSD', os: 'Ubuntu 22.04 LTS' },
    assigned_to: 'Public Kiosk', last_maintenance: '2025-09-01',
  },
  {
    asset_id: 'AST-SRV-005', serial_number: 'SH-VM-CLUSTER-01', hostname: 'k8s-master-01.startuphub.local',
    asset_type: 'server', customer_id: 'CUST-008', manufacturer: 'Dell', model: 'PowerEdge R650',
    status: 'active', location: 'Colocation - Digital Realty SJC', purchase_date: '2024-03-15',
    warranty: { start_date: '2024-03-15', end_date: '2027-03-15', coverage_type: 'ProSupport 24x7' },
    specs: {
      cpu: '2x Intel Xeon Silver 4314', ram_gb: 128, storage: '4x 960GB SSD (RAID 10)', os: 'Ubuntu Server 22.04 LTS',
    },
    assigned_to: 'Platform Team', last_maintenance: '2025-08-30',
    software_licenses: [
      { software: 'Rancher Enterprise', license_key: 'RANCHER-XXX-YYY', expiration: '2026-03-15', type: 'subscription' },
    ],
  },
  {
    asset_id: 'AST-STOR-001', serial_number: 'SYNOLOGY-RS2421-887654', hostname: 'nas-backup-01.dataflow.local',
    asset_type: 'storage', customer_id: 'CUST-002', manufacturer: 'Synology', model: 'RackStation RS2421+',
    status: 'active', location: 'DataFlow - Backup Room', purchase_date: '2023-09-10',
    warranty: { start_date: '2023-09-10', end_date: '2026-09-10', coverage_type: '3-year warranty' },
    specs: { cpu: 'AMD Ryzen V1500B', ram_gb: 32, bays: '12-bay', capacity: '96TB usable (RAID 6)', os: 'DSM 7.2' },
    assigned_to: 'Backup Infrastructure', last_maintenance: '2025-07-15',
  },
  {
    asset_id: 'AST-WKS-005', serial_number: 'FRAMEWORK-13-GEN3-55443', hostname: 'laptop-innovate-mobile',
    asset_type: 'laptop', customer_id: 'CUST-004', manufacturer: 'Framework', model: 'Laptop 13 (Intel 13th Gen)',
    status: 'active', location: 'Remote - Field Engineer', purchase_date: '2024-05-20',
    warranty: { start_date: '2024-05-20', end_date: '2025-05-20', coverage_type: 'Standard 1-year' },
    specs: { cpu: 'Intel Core i7-1370P', ram_gb: 32, storage: '1TB NVMe SSD', os: 'Fedora 40 Workstation' },
    assigned_to: 'michael.d@innovatesys.net', last_maintenance: '2025-08-10',
    software_licenses: [
      { software: 'JetBrains All Products Pack', license_key: 'JETBRAINS-XXX', expiration: '2026-05-20', type: 'subscription' },
    ],
  },
]);

/** The asset with this ID, if any. */
export function findAsset(assetId: string): Asset | undefined {
  return ASSETS.find((asset) => asset.asset_id === assetId);
}
