import { z } from 'zod';
import { assetId, customerId, text } from '../../kit/ids.ts';
import { defineTool, toolError } from '../../kit/tool.ts';
import { ASSETS, ASSET_TYPES, AssetSchema, type Asset } from '../data.ts';
import { AssetDetailSchema, EXPIRING_SOON_DAYS, WARRANTY_STATUSES, assetDetail, warrantyState } from '../warranty.ts';

/** Criteria that name assets; when they match nothing, the caller has a wrong identifier. */
const IDENTITY = ['asset_id', 'serial_number', 'hostname', 'customer_id'] as const;
/** Criteria that narrow by state or kind; when they leave nothing, that is the answer. */
const FILTERS = ['asset_type', 'warranty_status'] as const;
const CRITERIA = [...IDENTITY, ...FILTERS];

const input = z
  .object({
    asset_id: assetId('Exact asset ID').optional(),
    serial_number: text('Exact serial number, any letter case, e.g. "5CD23456ABC".').optional(),
    hostname: text('Part of the hostname, any letter case, e.g. "sql-prod" or "megacorp".').optional(),
    customer_id: customerId('Only assets owned by this customer').optional(),
    asset_type: z
      .enum(ASSET_TYPES)
      .optional()
      .describe('Only assets of this kind. Laptops carry WKS IDs too (e.g. AST-WKS-002 is a laptop).'),
    warranty_status: z
      .enum(WARRANTY_STATUSES)
      .optional()
      .describe(
        `Only assets whose hardware warranty is in this state today: active, expiring_soon (ends within ${EXPIRING_SOON_DAYS} days) or expired.`,
      ),
  })
  .strict();

const AssetSummarySchema = AssetSchema.pick({
  asset_id: true,
  serial_number: true,
  hostname: true,
  asset_type: true,
  customer_id: true,
  manufacturer: true,
  model: true,
  status: true,
}).extend({
  warranty_status: z.enum(WARRANTY_STATUSES).describe('Warranty state today.'),
  warranty_end_date: z.string().describe('Last day of the warranty (YYYY-MM-DD).'),
});

const AssetListSchema = z
  .object({
    assets: z.array(AssetSummarySchema),
    total_count: z.number().int(),
    hint: z.string().optional().describe('Present when no asset is in the requested state or of the requested kind.'),
  })
  .describe('Several matches (or none after asset_type/warranty_status): short summaries in inventory order.');

const output = z.union([AssetDetailSchema.describe('Exactly one match: the full record with its warranty state today.'), AssetListSchema]);

type Criteria = z.output<typeof input>;

function isIdentified(asset: Asset, c: Criteria): boolean {
  return (
    (c.asset_id === undefined || asset.asset_id === c.asset_id) &&
    (c.serial_number === undefined || asset.serial_number.toLowerCase() === c.serial_number.toLowerCase()) &&
    (c.hostname === undefined || asset.hostname.toLowerCase().includes(c.hostname.toLowerCase())) &&
    (c.customer_id === undefined || asset.customer_id === c.customer_id)
  );
}

function passesFilters(asset: Asset, c: Criteria, now: Date): boolean {
  return (
    (c.asset_type === undefined || asset.asset_type === c.asset_type) &&
    (c.warranty_status === undefined || warrantyState(asset.warranty, now).status === c.warranty_status)
  );
}

function summary(asset: Asset, now: Date): z.infer<typeof AssetSummarySchema> {
  const { asset_id, serial_number, hostname, asset_type, customer_id, manufacturer, model, status } = asset;
  const warranty = warrantyState(asset.warranty, now);
  return {
    asset_id,
    serial_number,
    hostname,
    asset_type,
    customer_id,
    manufacturer,
    model,
    status,
    warranty_status: warranty.status,
    warranty_end_date: warranty.end_date,
  };
}

const missingCriteria = () =>
  toolError({
    error: 'Missing asset search criteria',
    reason: 'lookup_asset needs at least one criterion to search by, and none was given.',
    suggested_actions: [
      "Give asset_id or serial_number for one exact asset, part of a hostname, or customer_id (e.g. CUST-002) for a customer's assets.",
      'To survey the whole inventory, give warranty_status (active, expiring_soon, expired) and/or asset_type (workstation, server, laptop, network, storage) alone.',
    ],
    retryable: true,
    follow_up_tools: ['lookup_asset'],
    context: { expected_arguments: [...CRITERIA] },
  });

const noneIdentified = (criteria: Criteria) =>
  toolError({
    error: 'No assets found matching criteria',
    reason: 'No asset in the inventory matches the given ID, serial number, hostname or customer.',
    suggested_actions: [
      'Search by asset_id or serial_number alone for an exact match, or by a shorter part of the hostname.',
      "Search by customer_id alone to list all of that customer's assets.",
    ],
    retryable: true,
    follow_up_tools: ['lookup_asset'],
    context: { search_criteria: { ...criteria } },
  });

export const lookupAsset = defineTool({
  name: 'lookup_asset',
  title: 'Look up assets',
  description:
    'Find hardware assets (workstations, laptops, servers, network and storage devices) by asset ID (e.g. AST-SRV-001; types WKS, SRV, NET, STOR), serial number, part of the hostname, owning customer (e.g. CUST-002), asset_type, or warranty_status as of today (active, expiring_soon, expired). Give at least one criterion; all given criteria must match. For inventory-wide questions such as "which assets have expired warranties?" pass warranty_status alone: one call answers it. Exactly one match returns the full record: specs, location, assignee, last maintenance, software licenses and the warranty state. Several matches return a short list { assets, total_count } with each asset\'s warranty_status and warranty_end_date; for coverage details or days left call check_warranty, and get_software_licenses or get_asset_history with an asset_id from the list.',
  input,
  output,
  run(criteria, { clock }) {
    if (CRITERIA.every((name) => criteria[name] === undefined)) return missingCriteria();
    const identified = ASSETS.filter((asset) => isIdentified(asset, criteria));
    if (identified.length === 0) return noneIdentified(criteria);
    const now = clock.now();
    const found = identified.filter((asset) => passesFilters(asset, criteria, now));
    const [only] = found;
    if (found.length === 1 && only) return assetDetail(only, now);
    return {
      assets: found.map((asset) => summary(asset, now)),
      total_count: found.length,
      ...(found.length === 0
        ? {
            hint: 'No asset in scope (the whole inventory, or the assets the other criteria name) has the requested asset_type and warranty_status. That is the answer, not a failed lookup.',
          }
        : {}),
    };
  },
});
