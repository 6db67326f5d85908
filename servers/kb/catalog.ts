import type { Catalog } from '../kit/catalog.ts';
import { KB_ARTICLES, type Article } from './data.ts';

const products = () => [...new Set(KB_ARTICLES.flatMap((a) => a.related_products))].sort();

/** Every article by URI (its Markdown), and a troubleshooting prompt. */
export const kbCatalog: Catalog = {
  collections: [
    {
      uriTemplate: 'helpdesk://kb/{article_id}',
      name: 'article',
      title: 'Knowledge-base article',
      description: 'One how-to article as Markdown.',
      mimeType: 'text/markdown',
      records: KB_ARTICLES,
      idOf: (a: Article) => a.article_id,
      titleOf: (a: Article) => `${a.article_id}: ${a.title}`,
      render: (a: Article) => a.content,
    },
  ],
  prompts: [
    {
      name: 'troubleshoot',
      title: 'Troubleshoot a problem',
      description: 'Find the knowledge-base articles for a problem and turn them into steps to try.',
      arguments: [
        { name: 'problem', description: 'What goes wrong, in a few words, e.g. "blue screen after update".', required: true },
        { name: 'product', description: 'The product it happens on, e.g. "Windows 11".', required: false, values: products },
      ],
      render: (args) =>
        `Help me fix this: ${args.problem}${args.product ? ` (on ${args.product})` : ''}. Search the knowledge base (search_solutions${args.product ? ', get_common_fixes for the product' : ''}), read the best article with get_article, and give numbered steps to try, citing the article IDs.`,
    },
  ],
};
