import { z } from 'zod';
import { assetId } from '../../kit/ids.ts';
import { defineTool, toolError } from '../../kit/tool.ts';
import { findAsset } from '../data.ts';
import { WarrantyStateSchema, warrantyState } from '../warranty.ts';

/** The not-found envelope shared by the tools that take one asset ID. */
export function assetNotFound(id: string, why: string) {
  return toolError({
    error: `Asset ${id} not found`,
    reason: why,
    suggested_actions: [
      "List the customer's assets with lookup_asset by customer_id (e.g. CUST-002), or search by hostname or serial number, to get a valid asset ID.",
      'Check the ID: asset IDs look like AST-WKS-001, AST-SRV-001, AST-NET-001 or AST-STOR-001.',
    ],
    retryable: true,
    follow_up_tools: ['lookup_asset'],
    context: { asset_id: id },
  });
}

export const checkWarranty = defineTool({
  name: 'check_warranty',
  title: 'Check warranty',
  description:
    'Report the warranty of one asset as of today: coverage type, start and end day, days remaining (negative once ended), and status active, expiring_soon (ends within 30 days) or expired. Takes an asset ID such as AST-SRV-001 (types WKS, SRV, NET, STOR). Use lookup_asset first to find the ID from a customer (CUST-001), hostname or serial number.',
  input: z.object({ asset_id: assetId('Asset whose warranty to check') }).strict(),
  output: z.object({
    asset_id: z.string(),
    serial_number: z.string(),
    hostname: z.string(),
    manufacturer: z.string(),
    model: z.string(),
    warranty: WarrantyStateSchema,
  }),
  run({ asset_id }, { clock }) {
    const asset = findAsset(asset_id);
    if (!asset) return assetNotFound(asset_id, 'Warranty data exists only for assets in the inventory, and none has this ID.');
    return {
      asset_id: asset.asset_id,
      serial_number: asset.serial_number,
      hostname: asset.hostname,
      manufacturer: asset.manufacturer,
      model: asset.model,
      warranty: warrantyState(asset.warranty, clock.now()),
    };
  },
});
