import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/shared/clock.ts';
import { connectInMemory } from '../kit/testing.ts';
import { ASSETS } from './data.ts';
import { buildServer } from './server.ts';

type Session = Awaited<ReturnType<typeof connectInMemory>>;
let s: Session;
beforeAll(async () => {
  s = await connectInMemory(buildServer);
});
afterAll(() => s.close());

/** One call at another instant, on a server of its own. */
async function callAt(instant: string, name: string, args: unknown) {
  const other = await connectInMemory(buildServer, fixedClock(instant));
  try {
    return await other.call(name, args);
  } finally {
    await other.close();
  }
}

const LATER = '2026-11-24T12:00:00Z';

type JsonShape = { required?: string[]; additionalProperties?: unknown; properties?: unknown };

/** The alternatives of a tool's declared output schema, as tools/list reports them. */
async function outputShapes(name: string): Promise<JsonShape[]> {
  const { tools } = await s.client.listTools();
  return (tools.find((tool) => tool.name === name)?.outputSchema?.anyOf ?? []) as JsonShape[];
}

describe('asset server', () => {
  it('lists exactly the four asset tools with strict input schemas', async () => {
    const { tools } = await s.client.listTools();
    expect(tools.map((t) => t.name)).toEqual(['lookup_asset', 'check_warranty', 'get_software_licenses', 'get_asset_history']);
    for (const tool of tools) expect(tool.inputSchema.additionalProperties).toBe(false);
  });

  it('returns the full record of AST-SRV-001 with its warranty derived at the dataset date', async () => {
    const r = await s.call('lookup_asset', { asset_id: 'AST-SRV-001' });
    expect(r.isError).toBe(false);
    expect(r.data).toMatchObject({
      asset_id: 'AST-SRV-001',
      serial_number: 'VMW-789-XYZ-456',
      hostname: 'sql-prod-01.dataflow.local',
      asset_type: 'server',
      customer_id: 'CUST-002',
      manufacturer: 'HPE',
      model: 'ProLiant DL380 Gen10',
      status: 'active',
      location: 'DataFlow Data Center - Rack 12',
      purchase_date: '2023-06-20',
      assigned_to: 'Infrastructure Team',
      last_maintenance: '2025-09-15',
      specs: { cpu: '2x Intel Xeon Gold 6226R', ram_gb: 256, storage: '8x 1.2TB SAS HDD (RAID 10)', os: 'Ubuntu Server 22.04 LTS' },
    });
    expect(r.data.warranty).toEqual({
      status: 'active',
      start_date: '2023-06-20',
      end_date: '2026-06-20',
      coverage_type: '24x7 4-hour response',
      remaining_days: 257,
      is_expired: false,
      expires_soon: false,
    });
    expect(r.data.software_licenses).toEqual([
      {
        software: 'Microsoft SQL Server 2022 Enterprise',
        license_key: 'XXXXX-XXXXX-XXXXX-XXXXX',
        expiration: '2026-06-01',
        type: 'perpetual',
      },
    ]);
    expect(r.structured).toEqual(r.data);
  });

  it('lists the assets with expired warranties at the dataset date in one call', async () => {
    const r = await s.call('lookup_asset', { warranty_status: 'expired' });
    expect(r.isError).toBe(false);
    expect(r.data).toEqual({
      assets: [
        {
          asset_id: 'AST-SRV-002',
          serial_number: 'SRV-INV-2023-445',
          hostname: 'web-app-01.innovatesys.net',
          asset_type: 'server',
          customer_id: 'CUST-004',
          manufacturer: 'Supermicro',
          model: 'SuperServer 1029P',
          status: 'active',
          warranty_status: 'expired',
          warranty_end_date: '2025-08-22',
        },
        {
          asset_id: 'AST-WKS-005',
          serial_number: 'FRAMEWORK-13-GEN3-55443',
          hostname: 'laptop-innovate-mobile',
          asset_type: 'laptop',
          customer_id: 'CUST-004',
          manufacturer: 'Framework',
          model: 'Laptop 13 (Intel 13th Gen)',
          status: 'active',
          warranty_status: 'expired',
          warranty_end_date: '2025-05-20',
        },
      ],
      total_count: 2,
    });
  });

  it('returns the full record of AST-WKS-003, the only warranty expiring soon at the dataset date', async () => {
    const r = await s.call('lookup_asset', { warranty_status: 'expiring_soon' });
    expect(r.data).toMatchObject({
      asset_id: 'AST-WKS-003',
      hostname: 'dev-wks-cloudfirst-05',
      warranty: { status: 'expiring_soon', end_date: '2025-11-05', remaining_days: 30, expires_soon: true },
    });
  });

  it('lists the nine active warranties at the dataset date in inventory order', async () => {
    const r = await s.call('lookup_asset', { warranty_status: 'active' });
    expect(r.data.assets.map((a: { asset_id: string }) => a.asset_id)).toEqual([
      'AST-WKS-001',
      'AST-SRV-001',
      'AST-WKS-002',
      'AST-NET-001',
      'AST-SRV-003',
      'AST-SRV-004',
      'AST-WKS-004',
      'AST-SRV-005',
      'AST-STOR-001',
    ]);
    expect(r.data.total_count).toBe(9);
  });

  it('derives the warranty filter from the clock: seven expired on 2026-11-24', async () => {
    const r = await callAt(LATER, 'lookup_asset', { warranty_status: 'expired' });
    expect(r.data.assets.map((a: { asset_id: string; warranty_status: string }) => [a.asset_id, a.warranty_status])).toEqual([
      ['AST-SRV-001', 'expired'],
      ['AST-WKS-002', 'expired'],
      ['AST-SRV-002', 'expired'],
      ['AST-WKS-003', 'expired'],
      ['AST-SRV-004', 'expired'],
      ['AST-STOR-001', 'expired'],
      ['AST-WKS-005', 'expired'],
    ]);
    expect(r.data.total_count).toBe(7);
  });

  it('lists AST-WKS-002 and AST-WKS-003 as expiring soon on 2025-10-11', async () => {
    const r = await callAt('2025-10-11T12:00:00Z', 'lookup_asset', { warranty_status: 'expiring_soon' });
    expect(r.data.assets.map((a: { asset_id: string; warranty_end_date: string }) => [a.asset_id, a.warranty_end_date])).toEqual([
      ['AST-WKS-002', '2025-11-10'],
      ['AST-WKS-003', '2025-11-05'],
    ]);
  });

  it('answers a warranty filter that leaves no asset with an empty list and a hint, not an error', async () => {
    const midnight = await callAt('2025-10-05T00:00:00Z', 'lookup_asset', { warranty_status: 'expiring_soon' });
    expect(midnight.isError).toBe(false);
    expect(midnight.data).toMatchObject({ assets: [], total_count: 0, hint: expect.any(String) });
    const later = await callAt(LATER, 'lookup_asset', { warranty_status: 'expiring_soon' });
    expect(later.data).toMatchObject({ assets: [], total_count: 0 });
    const owned = await s.call('lookup_asset', { customer_id: 'CUST-001', warranty_status: 'expired' });
    expect(owned.isError).toBe(false);
    expect(owned.data).toMatchObject({ assets: [], total_count: 0, hint: expect.any(String) });
  });

  it('ANDs the warranty status with the other criteria', async () => {
    const customer = await s.call('lookup_asset', { customer_id: 'CUST-004', warranty_status: 'expired' });
    expect(customer.data.assets.map((a: { asset_id: string }) => a.asset_id)).toEqual(['AST-SRV-002', 'AST-WKS-005']);
    const servers = await s.call('lookup_asset', { asset_type: 'server', warranty_status: 'expired' });
    expect(servers.data).toMatchObject({ asset_id: 'AST-SRV-002', warranty: { status: 'expired', remaining_days: -45 } });
    const laterServers = await callAt(LATER, 'lookup_asset', { asset_type: 'server', warranty_status: 'expired' });
    expect(laterServers.data.assets.map((a: { asset_id: string }) => a.asset_id)).toEqual(['AST-SRV-001', 'AST-SRV-002', 'AST-SRV-004']);
  });

  it.each([
    ['server', ['AST-SRV-001', 'AST-SRV-002', 'AST-SRV-003', 'AST-SRV-004', 'AST-SRV-005']],
    ['workstation', ['AST-WKS-001', 'AST-WKS-003', 'AST-WKS-004']],
    ['laptop', ['AST-WKS-002', 'AST-WKS-005']],
  ])('lists every %s by asset_type alone', async (asset_type, ids) => {
    const r = await s.call('lookup_asset', { asset_type });
    expect(r.data.assets.map((a: { asset_id: string }) => a.asset_id)).toEqual(ids);
    expect(r.data.total_count).toBe(ids.length);
  });

  it('returns the full record when only one asset is of the requested type', async () => {
    const r = await s.call('lookup_asset', { asset_type: 'storage' });
    expect(r.data).toMatchObject({ asset_id: 'AST-STOR-001', warranty: { status: 'active', remaining_days: 339 } });
  });

  it('still reports an unknown customer as not found when a warranty filter is added', async () => {
    const r = await s.call('lookup_asset', { customer_id: 'CUST-999', warranty_status: 'expired' });
    expect(r.isError).toBe(true);
    expect(r.data).toMatchObject({
      error: 'No assets found matching criteria',
      retryable: true,
      context: { search_criteria: { customer_id: 'CUST-999', warranty_status: 'expired' } },
    });
  });

  it.each([
    [{ warranty_status: 'valid' }, `'warranty_status' must be one of "active", "expiring_soon", "expired" (got "valid").`],
    [{ asset_type: 'desktop' }, `'asset_type' must be one of "workstation", "server", "laptop", "network", "storage" (got "desktop").`],
  ])('rejects %j with the allowed values', async (args, reason) => {
    const r = await s.call('lookup_asset', args);
    expect(r.isError).toBe(true);
    expect(r.data.reason).toBe(reason);
    expect(r.data.context.expected_arguments).toContain('warranty_status (string, optional, one of active|expiring_soon|expired)');
  });

  it.each([
    [
      'lookup_asset',
      [
        [
          'asset_id',
          'serial_number',
          'hostname',
          'asset_type',
          'customer_id',
          'manufacturer',
          'model',
          'status',
          'location',
          'purchase_date',
          'warranty',
          'specs',
          'assigned_to',
          'last_maintenance',
        ],
        ['assets', 'total_count'],
      ],
    ],
    [
      'get_software_licenses',
      [
        ['asset_id', 'hostname', 'licenses', 'total_licenses'],
        ['customer_id', 'licenses', 'total_licenses', 'total_assets_with_licenses'],
      ],
    ],
  ])('declares the two answer shapes of %s, each with its required fields, beside the envelope', async (name, required) => {
    const shapes = await outputShapes(name);
    expect(shapes).toHaveLength(3);
    expect(shapes.slice(0, 2).map((shape) => shape.required)).toEqual(required);
    expect(shapes.every((shape) => shape.additionalProperties === false)).toBe(true);
    expect(shapes[2]?.required).toEqual(expect.arrayContaining(['error', 'reason', 'suggested_actions', 'retryable']));
  });

  it('declares the warranty fields as required in every lookup_asset summary item', async () => {
    const [, list] = await outputShapes('lookup_asset');
    const item = (list?.properties as { assets: { items: { required: string[] } } }).assets.items;
    expect(item.required).toEqual(expect.arrayContaining(['asset_id', 'warranty_status', 'warranty_end_date']));
  });

  it('declares asset_id and hostname as required on each license of the customer shape only', async () => {
    const [asset, customer] = await outputShapes('get_software_licenses');
    const itemOf = (shape: JsonShape | undefined) =>
      (shape?.properties as { licenses: { items: { required: string[] } } }).licenses.items.required;
    expect(itemOf(asset)).toEqual(['software', 'license_key', 'expiration', 'type']);
    expect(itemOf(customer)).toEqual(['software', 'license_key', 'expiration', 'type', 'asset_id', 'hostname']);
  });

  it('matches a serial number exactly but in any letter case', async () => {
    const r = await s.call('lookup_asset', { serial_number: 'vmw-789-xyz-456' });
    expect(r.data.asset_id).toBe('AST-SRV-001');
    const partial = await s.call('lookup_asset', { serial_number: 'VMW-789' });
    expect(partial.isError).toBe(true);
  });

  it('lists several matches of a hostname part as summaries with their warranty status and end day', async () => {
    const r = await s.call('lookup_asset', { hostname: 'MEGACORP' });
    expect(r.data).toEqual({
      assets: [
        {
          asset_id: 'AST-SRV-003',
          serial_number: 'HPE-DL360-G10-789456',
          hostname: 'dc01.megacorp.local',
          asset_type: 'server',
          customer_id: 'CUST-007',
          manufacturer: 'HPE',
          model: 'ProLiant DL360 Gen10',
          status: 'active',
          warranty_status: 'active',
          warranty_end_date: '2027-03-10',
        },
        {
          asset_id: 'AST-SRV-004',
          serial_number: 'DELL-R740-XD-998877',
          hostname: 'docker-host-01.megacorp.local',
          asset_type: 'server',
          customer_id: 'CUST-007',
          manufacturer: 'Dell',
          model: 'PowerEdge R740xd',
          status: 'active',
          warranty_status: 'active',
          warranty_end_date: '2026-07-15',
        },
      ],
      total_count: 2,
    });
  });

  it('lists the two assets of CUST-002 in data order', async () => {
    const r = await s.call('lookup_asset', { customer_id: 'CUST-002' });
    expect(r.data.assets.map((a: { asset_id: string }) => a.asset_id)).toEqual(['AST-SRV-001', 'AST-STOR-001']);
    expect(r.data.total_count).toBe(2);
  });

  it('returns the full record when a customer owns a single asset', async () => {
    const r = await s.call('lookup_asset', { customer_id: 'CUST-001' });
    expect(r.data.asset_id).toBe('AST-WKS-001');
    expect(r.data.warranty.remaining_days).toBe(466);
    expect(r.data.software_licenses).toBeUndefined();
  });

  it('requires every given criterion to match', async () => {
    const both = await s.call('lookup_asset', { customer_id: 'CUST-007', hostname: 'dc01' });
    expect(both.data.asset_id).toBe('AST-SRV-003');
    const clash = await s.call('lookup_asset', { customer_id: 'CUST-001', hostname: 'megacorp' });
    expect(clash.isError).toBe(true);
    expect(clash.data).toMatchObject({
      error: 'No assets found matching criteria',
      retryable: true,
      follow_up_tools: ['lookup_asset'],
      context: { search_criteria: { customer_id: 'CUST-001', hostname: 'megacorp' } },
    });
  });

  it('returns a retryable envelope naming the criteria when no asset matches', async () => {
    const r = await s.call('lookup_asset', { asset_id: 'AST-SRV-099' });
    expect(r.isError).toBe(true);
    expect(r.data).toMatchObject({
      error: 'No assets found matching criteria',
      retryable: true,
      follow_up_tools: ['lookup_asset'],
      context: { search_criteria: { asset_id: 'AST-SRV-099' } },
    });
    expect(r.data.suggested_actions).toHaveLength(2);
    expect(r.structured).toEqual(r.data);
  });

  it('asks for a criterion instead of listing every asset when called without one', async () => {
    const r = await s.call('lookup_asset', {});
    expect(r.isError).toBe(true);
    expect(r.data).toMatchObject({
      error: 'Missing asset search criteria',
      retryable: true,
      follow_up_tools: ['lookup_asset'],
      context: {
        expected_arguments: ['asset_id', 'serial_number', 'hostname', 'customer_id', 'asset_type', 'warranty_status'],
      },
    });
    expect(r.data.suggested_actions.join(' ')).toMatch(/warranty_status.*asset_type/);
  });

  it('rejects a malformed asset ID with the expected format', async () => {
    const r = await s.call('lookup_asset', { asset_id: 'AST-999' });
    expect(r.isError).toBe(true);
    expect(r.data.reason).toContain("'asset_id' must look like AST-SRV-001");
    expect(r.data.context.expected_arguments).toContain('asset_id (string, optional, pattern ^AST-(?:WKS|SRV|NET|STOR)-\\d{3}$)');
  });

  it('rejects a hostname longer than 200 characters', async () => {
    const r = await s.call('lookup_asset', { hostname: 'x'.repeat(201) });
    expect(r.isError).toBe(true);
    expect(r.data.reason).toContain("'hostname' must be at most 200 characters long");
  });

  it('rejects an empty serial number instead of treating it as no criterion', async () => {
    const r = await s.call('lookup_asset', { serial_number: '' });
    expect(r.isError).toBe(true);
    expect(r.data.reason).toContain("'serial_number' must be at least 1 character long");
  });

  it('rejects unknown lookup arguments and lists the expected ones', async () => {
    const r = await s.call('lookup_asset', { customer_id: 'CUST-001', owner: 'David' });
    expect(r.isError).toBe(true);
    expect(r.data.reason).toBe("unknown argument 'owner'.");
    expect(r.data.context.expected_arguments).toHaveLength(6);
  });

  it('leaves the shared data unchanged after a lookup at another date', async () => {
    const later = await callAt(LATER, 'lookup_asset', { asset_id: 'AST-SRV-001' });
    expect(later.data.warranty.remaining_days).toBe(-158);
    const now = await s.call('get_asset_history', { asset_id: 'AST-SRV-001' });
    const start = now.data.history.find((e: { event_type: string }) => e.event_type === 'warranty_start');
    expect(start.details.remaining_days).toBe(257);
    expect(ASSETS[1]?.warranty).toEqual({ start_date: '2023-06-20', end_date: '2026-06-20', coverage_type: '24x7 4-hour response' });
    expect(Object.isFrozen(ASSETS[1]?.warranty)).toBe(true);
  });

  it.each([
    ['AST-WKS-001', 466, 'active'],
    ['AST-SRV-001', 257, 'active'],
    ['AST-WKS-002', 35, 'active'],
    ['AST-SRV-002', -45, 'expired'],
    ['AST-WKS-003', 30, 'expiring_soon'],
    ['AST-NET-001', 603, 'active'],
    ['AST-SRV-003', 520, 'active'],
    ['AST-SRV-004', 282, 'active'],
    ['AST-WKS-004', 510, 'active'],
    ['AST-SRV-005', 525, 'active'],
    ['AST-STOR-001', 339, 'active'],
    ['AST-WKS-005', -139, 'expired'],
  ])('warranty of %s at the dataset date: %i days, %s', async (id, days, status) => {
    const r = await s.call('check_warranty', { asset_id: id });
    expect(r.data.warranty).toMatchObject({
      status,
      remaining_days: days,
      is_expired: status === 'expired',
      expires_soon: status === 'expiring_soon',
    });
  });

  it.each([
    ['AST-WKS-001', 51, false],
    ['AST-SRV-001', -158, true],
    ['AST-WKS-002', -380, true],
    ['AST-SRV-002', -460, true],
    ['AST-WKS-003', -385, true],
    ['AST-NET-001', 188, false],
    ['AST-SRV-003', 105, false],
    ['AST-SRV-004', -133, true],
    ['AST-WKS-004', 95, false],
    ['AST-SRV-005', 110, false],
    ['AST-STOR-001', -76, true],
    ['AST-WKS-005', -554, true],
  ])('warranty of %s on 2026-11-24: %i days, expired %s', async (id, days, expired) => {
    const r = await callAt(LATER, 'check_warranty', { asset_id: id });
    expect(r.data.warranty).toMatchObject({
      status: expired ? 'expired' : 'active',
      remaining_days: days,
      is_expired: expired,
      expires_soon: false,
    });
  });

  it('does not count AST-WKS-003 as expiring soon at midnight of the dataset date', async () => {
    const r = await callAt('2025-10-05T00:00:00Z', 'check_warranty', { asset_id: 'AST-WKS-003' });
    expect(r.data.warranty).toMatchObject({ status: 'active', remaining_days: 31, expires_soon: false });
  });

  it('reports the warranty of AST-SRV-001 with the asset it belongs to', async () => {
    const r = await s.call('check_warranty', { asset_id: 'AST-SRV-001' });
    expect(r.data).toEqual({
      asset_id: 'AST-SRV-001',
      serial_number: 'VMW-789-XYZ-456',
      hostname: 'sql-prod-01.dataflow.local',
      manufacturer: 'HPE',
      model: 'ProLiant DL380 Gen10',
      warranty: {
        status: 'active',
        start_date: '2023-06-20',
        end_date: '2026-06-20',
        coverage_type: '24x7 4-hour response',
        remaining_days: 257,
        is_expired: false,
        expires_soon: false,
      },
    });
  });

  it('returns a retryable envelope when the asset of a warranty check does not exist', async () => {
    const r = await s.call('check_warranty', { asset_id: 'AST-NET-009' });
    expect(r.isError).toBe(true);
    expect(r.data).toMatchObject({
      error: 'Asset AST-NET-009 not found',
      retryable: true,
      follow_up_tools: ['lookup_asset'],
      context: { asset_id: 'AST-NET-009' },
    });
    expect(r.data.asset_id).toBeUndefined();
  });

  it('names a missing asset ID for a warranty check', async () => {
    const r = await s.call('check_warranty', {});
    expect(r.isError).toBe(true);
    expect(r.data.reason).toBe("missing required argument 'asset_id'.");
  });

  it('rejects an asset ID of the wrong type', async () => {
    const r = await s.call('check_warranty', { asset_id: 123 });
    expect(r.isError).toBe(true);
    expect(r.data.reason).toBe("'asset_id' must be a string (got 123).");
  });

  it('rejects unknown warranty arguments', async () => {
    const r = await s.call('check_warranty', { asset_id: 'AST-SRV-001', verbose: true });
    expect(r.isError).toBe(true);
    expect(r.data.reason).toBe("unknown argument 'verbose'.");
  });

  it('totals the four licenses of CUST-007 over its two assets', async () => {
    const r = await s.call('get_software_licenses', { customer_id: 'CUST-007' });
    expect(r.data).toEqual({
      customer_id: 'CUST-007',
      licenses: [
        {
          asset_id: 'AST-SRV-003',
          hostname: 'dc01.megacorp.local',
          software: 'Windows Server 2019 Standard',
          license_key: 'WIN-SRV-2019-XXX',
          expiration: 'perpetual',
          type: 'perpetual',
        },
        {
          asset_id: 'AST-SRV-003',
          hostname: 'dc01.megacorp.local',
          software: 'Veeam Backup & Replication',
          license_key: 'VEEAM-XXX-YYY',
          expiration: '2026-03-01',
          type: 'subscription',
        },
        {
          asset_id: 'AST-SRV-004',
          hostname: 'docker-host-01.megacorp.local',
          software: 'Red Hat Enterprise Linux',
          license_key: 'RHEL-SUB-XXXXX',
          expiration: '2026-07-15',
          type: 'subscription',
        },
        {
          asset_id: 'AST-SRV-004',
          hostname: 'docker-host-01.megacorp.local',
          software: 'Docker Enterprise',
          license_key: 'DOCKER-EE-XXXXX',
          expiration: '2026-01-01',
          type: 'subscription',
        },
      ],
      total_licenses: 4,
      total_assets_with_licenses: 2,
    });
  });

  it('lists the licenses of one asset', async () => {
    const r = await s.call('get_software_licenses', { asset_id: 'AST-WKS-003' });
    expect(r.data).toEqual({
      asset_id: 'AST-WKS-003',
      hostname: 'dev-wks-cloudfirst-05',
      licenses: [
        { software: 'VMware Workstation Pro', license_key: 'VMW-XXXXX-XXXXX', expiration: 'perpetual', type: 'perpetual' },
        { software: 'Visual Studio Enterprise 2022', license_key: 'VS-ENT-XXXXX', expiration: '2026-01-15', type: 'subscription' },
      ],
      total_licenses: 2,
    });
  });

  it('uses asset_id when both asset_id and customer_id are given', async () => {
    const r = await s.call('get_software_licenses', { asset_id: 'AST-SRV-001', customer_id: 'CUST-007' });
    expect(r.data.asset_id).toBe('AST-SRV-001');
    expect(r.data.customer_id).toBeUndefined();
    expect(r.data.total_licenses).toBe(1);
  });

  it('answers an asset without licenses with an empty list and a hint', async () => {
    const r = await s.call('get_software_licenses', { asset_id: 'AST-WKS-001' });
    expect(r.isError).toBe(false);
    expect(r.data).toMatchObject({ asset_id: 'AST-WKS-001', licenses: [], total_licenses: 0 });
    expect(r.data.hint).toEqual(expect.any(String));
  });

  it('answers a customer whose assets have no licenses with zeros and a hint', async () => {
    const r = await s.call('get_software_licenses', { customer_id: 'CUST-006' });
    expect(r.data).toMatchObject({ customer_id: 'CUST-006', licenses: [], total_licenses: 0, total_assets_with_licenses: 0 });
    expect(r.data.hint).toContain('no software licenses');
  });

  it('answers an unknown customer with an empty list and a hint, not an error', async () => {
    const r = await s.call('get_software_licenses', { customer_id: 'CUST-999' });
    expect(r.isError).toBe(false);
    expect(r.data).toMatchObject({ customer_id: 'CUST-999', licenses: [], total_licenses: 0, total_assets_with_licenses: 0 });
    expect(r.data.hint).toContain('No asset in the inventory belongs to this customer');
  });

  it('asks for asset_id or customer_id when licenses are requested without either', async () => {
    const r = await s.call('get_software_licenses', {});
    expect(r.isError).toBe(true);
    expect(r.data).toMatchObject({
      error: 'Missing software license lookup criteria',
      retryable: true,
      follow_up_tools: ['get_software_licenses'],
      context: { expected_arguments: ['asset_id', 'customer_id'] },
    });
  });

  it('returns a retryable envelope when the asset of a license lookup does not exist', async () => {
    const r = await s.call('get_software_licenses', { asset_id: 'AST-STOR-002' });
    expect(r.isError).toBe(true);
    expect(r.data).toMatchObject({
      error: 'Asset AST-STOR-002 not found',
      retryable: true,
      follow_up_tools: ['lookup_asset'],
      context: { asset_id: 'AST-STOR-002' },
    });
  });

  it('rejects a malformed customer ID for licenses', async () => {
    const r = await s.call('get_software_licenses', { customer_id: 'CUST-7' });
    expect(r.isError).toBe(true);
    expect(r.data.reason).toContain("'customer_id' must look like CUST-001");
  });

  it('rejects unknown license arguments', async () => {
    const r = await s.call('get_software_licenses', { customer_id: 'CUST-007', vendor: 'HPE' });
    expect(r.isError).toBe(true);
    expect(r.data.reason).toBe("unknown argument 'vendor'.");
  });

  it('shows the three events of AST-SRV-001 newest first and its age of 838 days', async () => {
    const r = await s.call('get_asset_history', { asset_id: 'AST-SRV-001' });
    expect(r.data).toMatchObject({
      asset_id: 'AST-SRV-001',
      serial_number: 'VMW-789-XYZ-456',
      hostname: 'sql-prod-01.dataflow.local',
      current_status: 'active',
      total_events: 3,
      asset_age_days: 838,
    });
    const events = r.data.history.map((e: { date: string; event_type: string }) => [e.date, e.event_type]);
    expect(events).toEqual([
      ['2025-09-15', 'maintenance'],
      ['2023-06-20', 'purchase'],
      ['2023-06-20', 'warranty_start'],
    ]);
    expect(r.data.history[0].details).toEqual({ maintenance_date: '2025-09-15' });
    expect(r.data.history[1].details).toEqual({ purchase_date: '2023-06-20', location: 'DataFlow Data Center - Rack 12' });
    expect(r.data.history[2].details).toMatchObject({ status: 'active', remaining_days: 257, coverage_type: '24x7 4-hour response' });
  });

  it('gives AST-WKS-001 an age of 629 days', async () => {
    const r = await s.call('get_asset_history', { asset_id: 'AST-WKS-001' });
    expect(r.data.asset_age_days).toBe(629);
  });

  it('ages the asset and its warranty with the clock', async () => {
    const r = await callAt(LATER, 'get_asset_history', { asset_id: 'AST-SRV-001' });
    expect(r.data.asset_age_days).toBe(1253);
    expect(r.data.history[2].details).toMatchObject({ status: 'expired', remaining_days: -158, is_expired: true });
  });

  it('returns a retryable envelope when the asset of a history request does not exist', async () => {
    const r = await s.call('get_asset_history', { asset_id: 'AST-WKS-999' });
    expect(r.isError).toBe(true);
    expect(r.data).toMatchObject({
      error: 'Asset AST-WKS-999 not found',
      retryable: true,
      follow_up_tools: ['lookup_asset'],
      context: { asset_id: 'AST-WKS-999' },
    });
  });

  it('rejects a history request with a malformed, missing or unknown argument', async () => {
    const malformed = await s.call('get_asset_history', { asset_id: 'AST-LAP-001' });
    expect(malformed.data.reason).toContain("'asset_id' must look like AST-SRV-001");
    const missing = await s.call('get_asset_history', {});
    expect(missing.data.reason).toBe("missing required argument 'asset_id'.");
    const unknown = await s.call('get_asset_history', { asset_id: 'AST-SRV-001', include_tickets: true });
    expect(unknown.data.reason).toBe("unknown argument 'include_tickets'.");
    expect([malformed, missing, unknown].every((r) => r.isError && r.data.retryable === true)).toBe(true);
  });
});
