import { z } from 'zod';
import { isCalendarDay } from '../../src/shared/clock.ts';

/** Longest free text a tool accepts; longer input is a mistake or an attack, not a query. */
export const MAX_TEXT = 200;

function idField(pattern: RegExp, example: string, what: string) {
  return z.string().regex(pattern, `must look like ${example}`).describe(`${what}, e.g. ${example}.`);
}

/** Ticket IDs look like TKT-1001. */
export const ticketId = (what = 'Ticket ID') => idField(/^TKT-\d{4}$/, 'TKT-1001', what);
/** Customer IDs look like CUST-001. */
export const customerId = (what = 'Customer ID') => idField(/^CUST-\d{3}$/, 'CUST-001', what);
/** Invoice IDs look like INV-2025-001. */
export const invoiceId = (what = 'Invoice ID') => idField(/^INV-\d{4}-\d{3}$/, 'INV-2025-001', what);
/** KB article IDs look like KB-001. */
export const articleId = (what = 'Knowledge-base article ID') => idField(/^KB-\d{3}$/, 'KB-001', what);
/** Asset IDs look like AST-SRV-001 (types WKS, SRV, NET, STOR). */
export const assetId = (what = 'Asset ID') => idField(/^AST-(?:WKS|SRV|NET|STOR)-\d{3}$/, 'AST-SRV-001', what);

/** Free text, trimmed of nothing, bounded in length. */
export const text = (what: string) => z.string().min(1).max(MAX_TEXT).describe(what);

/** A calendar date written YYYY-MM-DD (checked to be a real day). */
export const day = (what: string) =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date written YYYY-MM-DD', abort: true })
    .refine(isCalendarDay, 'must be a real calendar date')
    .describe(`${what} (YYYY-MM-DD).`);

/** An optional whole-number result limit with a default. */
export const limit = (fallback: number, max: number) =>
  z.number().int().min(1).max(max).default(fallback).describe(`Maximum number of results (1-${max}, default ${fallback}).`);
