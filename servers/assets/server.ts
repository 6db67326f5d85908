import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { buildToolServer, type ServerDeps } from '../kit/server.ts';
import { assetCatalog } from './catalog.ts';
import { checkWarranty } from './tools/check-warranty.ts';
import { getAssetHistory } from './tools/get-asset-history.ts';
import { getSoftwareLicenses } from './tools/get-software-licenses.ts';
import { lookupAsset } from './tools/lookup-asset.ts';

/** The asset server's four tools, in the order tools/list reports them. */
export const assetTools = [lookupAsset, checkWarranty, getSoftwareLicenses, getAssetHistory];

/** Builds the asset-management MCP server; connect it to any transport. */
export function buildServer(deps: ServerDeps): Server {
  return buildToolServer({ name: 'asset-management-server', version: '1.0.0', tools: assetTools, catalog: assetCatalog }, deps);
}
