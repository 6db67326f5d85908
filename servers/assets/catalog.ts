import { known, type Catalog } from '../kit/catalog.ts';
import { ASSETS, type Asset } from './data.ts';

const ids = () => ASSETS.map((a) => a.asset_id);

/** Every asset by URI, and a review prompt. */
export const assetCatalog: Catalog = {
  collections: [
    {
      uriTemplate: 'helpdesk://assets/{asset_id}',
      name: 'asset',
      title: 'Asset',
      description: 'One hardware asset as JSON: type, hostname, customer, specs, warranty, licenses.',
      mimeType: 'application/json',
      records: ASSETS,
      idOf: (a: Asset) => a.asset_id,
      titleOf: (a: Asset) => `${a.asset_id}: ${a.hostname}`,
      render: (a: Asset) => JSON.stringify(a, null, 2),
    },
  ],
  prompts: [
    {
      name: 'asset_review',
      title: 'Review an asset',
      description: 'Warranty, licences and service history of one asset, and whether it needs action.',
      arguments: [{ name: 'asset_id', description: 'The asset, e.g. AST-STOR-001.', required: true, values: ids }],
      render: (args) => {
        const id = known(ids(), args.asset_id, 'asset');
        return `Review asset ${id}: check its warranty (check_warranty), its software licences (get_software_licenses) and its history (get_asset_history), and say whether anything needs action soon (an expiring warranty or licence, repeated repairs).`;
      },
    },
  ],
};
