import { z } from 'zod';
import { assetId, customerId, text } from '../../kit/ids.ts';
import { defineTool, toolError } from '../../kit/tool.ts';
import { ASSETS, ASSET_TYPES, type Asset } from '../data.ts';
import { AssetDetailSchema, assetDetail } from '../warranty.ts';

const CRITERIA = ['asset_id', 'serial_number', 'hostname', 'customer_id'] as const;

const input = z
  .object({
    asset_id: assetId('Exact asset ID').optional(),
    serial_number: text('Exact serial number, any letter case, e.g. "5CD23456ABC".').optional(),
    hostname: text('Part of the hostname, any letter case, e.g. "sql-prod" or "megacorp".').optional(),
    customer_id: customerId('Only assets owned by this customer').optional(),
  })
  .strict();

const AssetSummarySchema = z.object({
  asset_id: z.string(),
  serial_number: z.string(),
  hostname: z.string(),
  asset_type: z.enum(ASSET_TYPES),
  customer_id: z.string(),
  manufacturer: z.string(),
  model: z.string(),
  status: z.string(),
});

// One object schema for two answers: the kit needs an object at the top level, so the full
// record's fields and the list's fields are all optional here; the description says which.
const output = AssetDetailSchema.partial()
  .extend({
    assets: z.array(AssetSummarySchema).optional(),
    total_count: z.number().int().optional(),
  })
  .describe('One full asset record when exactly one asset matches; { assets, total_count } when several match.');

type Criteria = z.output<typeof input>;

function matches(asset: Asset, c: Criteria): boolean {
  return (
    (c.asset_id === undefined || asset.asset_id === c.asset_id) &&
    (c.serial_number === undefined || asset.serial_number.toLowerCase() === c.serial_number.toLowerCase()) &&
    (c.hostname === undefined || asset.hostname.toLowerCase().includes(c.hostname.toLowerCase())) &&
    (c.customer_id === undefined || asset.customer_id === c.customer_id)
  );
}

function summary(asset: Asset): z.infer<typeof AssetSummarySchema> {
  const { asset_id, serial_number, hostname, asset_type, customer_id, manufacturer, model, status } = asset;
  return { asset_id, serial_number, hostname, asset_type, customer_id, manufacturer, model, status };
}

const missingCriteria = () =>
  toolError({
    error: 'Missing asset search criteria',
    reason: 'lookup_asset needs at least one criterion to search by, and none was given.',
    suggested_actions: [
      'Give asset_id or serial_number for one exact asset, or part of a hostname.',
      "Give customer_id (e.g. CUST-002) to list a customer's assets; to survey the whole inventory, call it once per customer (CUST-001 to CUST-008).",
    ],
    retryable: true,
    follow_up_tools: ['lookup_asset'],
    context: { expected_arguments: [...CRITERIA] },
  });

export const lookupAsset = defineTool({
  name: 'lookup_asset',
  title: 'Look up assets',
  description:
    'Find hardware assets (workstations, laptops, servers, network and storage devices) by asset ID (e.g. AST-SRV-001; types WKS, SRV, NET, STOR), serial number, part of the hostname, or owning customer (e.g. CUST-002). Give at least one criterion; all given criteria must match. Exactly one match returns the full record: specs, location, assignee, last maintenance, software licenses and the warranty state as of today. Several matches return only a short list { assets, total_count } without warranty data; then call check_warranty, get_software_licenses or get_asset_history with an asset_id from the list.',
  input,
  output,
  run(criteria, { clock }) {
    if (CRITERIA.every((name) => criteria[name] === undefined)) return missingCriteria();
    const found = ASSETS.filter((asset) => matches(asset, criteria));
    const [only] = found;
    if (found.length === 1 && only) return assetDetail(only, clock.now());
    if (found.length > 1) return { assets: found.map(summary), total_count: found.length };
    return toolError({
      error: 'No assets found matching criteria',
      reason: 'No asset in the inventory matches all of the given criteria.',
      suggested_actions: [
        'Search by asset_id or serial_number alone for an exact match, or by a shorter part of the hostname.',
        "Search by customer_id alone to list all of that customer's assets.",
      ],
      retryable: true,
      follow_up_tools: ['lookup_asset'],
      context: { search_criteria: { ...criteria } },
    });
  },
});
