import { z } from 'zod';
import { floorDays } from '../../../src/shared/clock.ts';
import { assetId } from '../../kit/ids.ts';
import { defineTool } from '../../kit/tool.ts';
import { findAsset, type Asset } from '../data.ts';
import { WarrantyStateSchema, dayMs, warrantyState } from '../warranty.ts';
import { assetNotFound } from './check-warranty.ts';

const event = <T extends string, D extends z.ZodRawShape>(type: T, details: D) =>
  z.object({ date: z.string(), event_type: z.literal(type), description: z.string(), details: z.object(details) });

const EventSchema = z.discriminatedUnion('event_type', [
  event('maintenance', { maintenance_date: z.string() }),
  event('purchase', { purchase_date: z.string(), location: z.string() }),
  event('warranty_start', WarrantyStateSchema.shape),
]);

type AssetEvent = z.infer<typeof EventSchema>;

/** Events on the same day are listed in this order. */
const SAME_DAY_ORDER: Record<AssetEvent['event_type'], number> = { maintenance: 0, purchase: 1, warranty_start: 2 };

function eventsOf(asset: Asset, now: Date): AssetEvent[] {
  const warranty = warrantyState(asset.warranty, now);
  return [
    {
      date: asset.purchase_date,
      event_type: 'purchase',
      description: `Bought: ${asset.manufacturer} ${asset.model}`,
      details: { purchase_date: asset.purchase_date, location: asset.location },
    },
    {
      date: asset.warranty.start_date,
      event_type: 'warranty_start',
      description: `Warranty began (${asset.warranty.coverage_type})`,
      details: warranty,
    },
    {
      date: asset.last_maintenance,
      event_type: 'maintenance',
      description: 'Routine maintenance carried out',
      details: { maintenance_date: asset.last_maintenance },
    },
  ];
}

/** Newest first; same-day events in SAME_DAY_ORDER. */
function byDateDescending(a: AssetEvent, b: AssetEvent): number {
  if (a.date !== b.date) return a.date < b.date ? 1 : -1;
  return SAME_DAY_ORDER[a.event_type] - SAME_DAY_ORDER[b.event_type];
}

export const getAssetHistory = defineTool({
  name: 'get_asset_history',
  title: 'Get asset history',
  description:
    "Show the timeline of one asset, newest first: its purchase (with location), the start of its warranty (with the warranty's state today) and its last maintenance, plus the asset's age in days. These three are the only kinds of event recorded; there are no transfers and no links to tickets (search tickets by customer for those). Takes an asset ID such as AST-SRV-001; use lookup_asset to find it and check_warranty for warranty questions alone.",
  input: z.object({ asset_id: assetId('Asset whose history to show') }).strict(),
  output: z.object({
    asset_id: z.string(),
    serial_number: z.string(),
    hostname: z.string(),
    current_status: z.string(),
    history: z.array(EventSchema),
    total_events: z.number().int(),
    asset_age_days: z.number().int(),
  }),
  run({ asset_id }, { clock }) {
    const asset = findAsset(asset_id);
    if (!asset) return assetNotFound(asset_id, 'History is kept only for assets in the inventory, and none has this ID.');
    const now = clock.now();
    const history = eventsOf(asset, now).sort(byDateDescending);
    return {
      asset_id: asset.asset_id,
      serial_number: asset.serial_number,
      hostname: asset.hostname,
      current_status: asset.status,
      history,
      total_events: history.length,
      asset_age_days: floorDays(dayMs(asset.purchase_date), now.getTime()),
    };
  },
});
