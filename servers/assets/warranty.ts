import { z } from 'zod';
import { dayStart, floorDays } from '../../src/shared/clock.ts';
import { AssetSchema, type Asset, type WarrantyTerms } from './data.ts';

export const WARRANTY_STATUSES = ['active', 'expiring_soon', 'expired'] as const;

/** A warranty counts as expiring soon from this many days before its end day. */
export const EXPIRING_SOON_DAYS = 30;

/** Warranty terms plus the state they are in at the moment of the call. */
export const WarrantyStateSchema = z.object({
  status: z.enum(WARRANTY_STATUSES),
  start_date: z.string(),
  end_date: z.string(),
  coverage_type: z.string(),
  remaining_days: z.number().int(),
  is_expired: z.boolean(),
  expires_soon: z.boolean(),
});

/** The full asset record with its warranty state as of now. */
export const AssetDetailSchema = AssetSchema.extend({ warranty: WarrantyStateSchema });

/** Warranty state at one moment. */
export type WarrantyState = z.infer<typeof WarrantyStateSchema>;

/** 00:00 UTC of a dataset day; a malformed day is a bug in the data, so it throws. */
export function dayMs(day: string): number {
  const ms = dayStart(day);
  if (ms === undefined) throw new Error(`Dataset date "${day}" is not a calendar day`);
  return ms;
}

/**
 * Derives status and days left from the end day and `now`: the days from now to the end
 * day's midnight, floored, so a warranty ending today at 00:00 is already expired at noon.
 */
export function warrantyState(terms: WarrantyTerms, now: Date): WarrantyState {
  const remaining_days = floorDays(now.getTime(), dayMs(terms.end_date));
  const is_expired = remaining_days < 0;
  const expires_soon = !is_expired && remaining_days <= EXPIRING_SOON_DAYS;
  return {
    status: is_expired ? 'expired' : expires_soon ? 'expiring_soon' : 'active',
    start_date: terms.start_date,
    end_date: terms.end_date,
    coverage_type: terms.coverage_type,
    remaining_days,
    is_expired,
    expires_soon,
  };
}

/** A new record with the live warranty state; the shared asset stays untouched. */
export function assetDetail(asset: Asset, now: Date): z.infer<typeof AssetDetailSchema> {
  return { ...asset, warranty: warrantyState(asset.warranty, now) };
}
