import { z } from 'zod';
import { assetId, customerId } from '../../kit/ids.ts';
import { defineTool, toolError } from '../../kit/tool.ts';
import { ASSETS, LicenseSchema, findAsset, type Asset } from '../data.ts';
import { assetNotFound } from './check-warranty.ts';

const AssetLicensesSchema = z
  .object({
    asset_id: z.string(),
    hostname: z.string(),
    licenses: z.array(LicenseSchema),
    total_licenses: z.number().int(),
    hint: z.string().optional().describe('Present when the asset has no licenses.'),
  })
  .describe('asset_id given: the licenses installed on that asset.');

const CustomerLicensesSchema = z
  .object({
    customer_id: z.string(),
    licenses: z.array(
      LicenseSchema.extend({
        asset_id: z.string().describe('The asset the license is installed on.'),
        hostname: z.string().describe("That asset's hostname."),
      }),
    ),
    total_licenses: z.number().int(),
    total_assets_with_licenses: z.number().int(),
    hint: z.string().optional().describe('Present when no license (or no asset) was found for the customer.'),
  })
  .describe("customer_id given: the licenses across all of the customer's assets.");

const output = z.union([AssetLicensesSchema, CustomerLicensesSchema]);

function forAsset(asset: Asset): z.input<typeof AssetLicensesSchema> {
  const licenses = (asset.software_licenses ?? []).map((license) => ({ ...license }));
  return {
    asset_id: asset.asset_id,
    hostname: asset.hostname,
    licenses,
    total_licenses: licenses.length,
    ...(licenses.length === 0 ? { hint: 'This asset has no software licenses on record.' } : {}),
  };
}

function forCustomer(customer_id: string): z.input<typeof CustomerLicensesSchema> {
  const owned = ASSETS.filter((asset) => asset.customer_id === customer_id);
  const licensed = owned.filter((asset) => (asset.software_licenses ?? []).length > 0);
  const licenses = licensed.flatMap((asset) =>
    (asset.software_licenses ?? []).map((license) => ({ asset_id: asset.asset_id, hostname: asset.hostname, ...license })),
  );
  const hint =
    owned.length === 0
      ? 'No asset in the inventory belongs to this customer. Check the customer ID, or find the asset with lookup_asset by hostname or serial number.'
      : licenses.length === 0
        ? `The customer's ${owned.length === 1 ? 'asset has' : `${owned.length} assets have`} no software licenses on record.`
        : undefined;
  return {
    customer_id,
    licenses,
    total_licenses: licenses.length,
    total_assets_with_licenses: licensed.length,
    ...(hint ? { hint } : {}),
  };
}

export const getSoftwareLicenses = defineTool({
  name: 'get_software_licenses',
  title: 'Get software licenses',
  description:
    'List software licenses (product, key, expiry day or "perpetual", perpetual or subscription) either on one asset (asset_id, e.g. AST-SRV-003) or across all assets of a customer (customer_id, e.g. CUST-007; each license then names its asset). Give one of the two; if both are given, asset_id is used. Use lookup_asset to find asset IDs and check_warranty for hardware warranty rather than software.',
  input: z
    .object({
      asset_id: assetId('Asset whose licenses to list').optional(),
      customer_id: customerId('Customer (used only without asset_id) whose licenses to list across all their assets').optional(),
    })
    .strict(),
  output,
  run({ asset_id, customer_id }) {
    if (asset_id !== undefined) {
      const asset = findAsset(asset_id);
      return asset
        ? forAsset(asset)
        : assetNotFound(asset_id, 'License details need the ID of an asset in the inventory, and none has this ID.');
    }
    if (customer_id !== undefined) return forCustomer(customer_id);
    return toolError({
      error: 'Missing software license lookup criteria',
      reason: 'Neither asset_id nor customer_id was given, so there is nothing to list licenses for.',
      suggested_actions: [
        'Give asset_id (e.g. AST-SRV-003) for the licenses on one asset.',
        "Give customer_id (e.g. CUST-007) for the licenses across all of that customer's assets.",
      ],
      retryable: true,
      follow_up_tools: ['get_software_licenses'],
      context: { expected_arguments: ['asset_id', 'customer_id'] },
    });
  },
});
