import { z } from 'zod';
import { text } from '../../kit/ids.ts';
import { rankByScore, searchWords } from '../../kit/search.ts';
import { defineTool, toolError } from '../../kit/tool.ts';
import { KB_ARTICLES, KB_CATEGORIES, type Article } from '../data.ts';

const MAX_FIXES = 10;

const output = z.object({
  product: z.string().nullable(),
  issue_type: z.string().nullable(),
  common_fixes: z.array(
    z.object({
      article_id: z.string(),
      title: z.string(),
      category: z.enum(KB_CATEGORIES),
      relevance_score: z.number().int(),
      helpful_count: z.number().int(),
      tags: z.array(z.string()),
    }),
  ),
  total_found: z.number().int(),
  hint: z.string().optional(),
});

/** Product match 10 (once), each issue word in the title 8, each tag containing an issue word 5. */
function fixScore(article: Article, product: string | undefined, issueWords: readonly string[]): number {
  const wanted = product?.toLowerCase();
  const productHit = wanted !== undefined && article.related_products.some((p) => p.toLowerCase().includes(wanted)) ? 10 : 0;
  const title = article.title.toLowerCase();
  const issueHits = issueWords.reduce(
    (sum, word) => sum + (title.includes(word) ? 8 : 0) + 5 * article.tags.filter((tag) => tag.toLowerCase().includes(word)).length,
    0,
  );
  return productHit + issueHits;
}

export const getCommonFixes = defineTool({
  name: 'get_common_fixes',
  title: 'Get common fixes',
  description:
    'List the knowledge-base fixes that apply to a product and/or a kind of issue, with their helpful votes, e.g. product "Windows 11" with issue_type "bsod". Product matches the articles\' related products (part of the name, case-insensitive); issue words are matched in titles and tags. Give at least one of the two. Use search_solutions for a general keyword search and get_article (ID such as KB-001) to read a fix.',
  input: z
    .object({
      product: text('Product or OS the fix must apply to, e.g. "Windows 11", "Ubuntu" or "Windows Server".').optional(),
      issue_type: text('Kind of issue, e.g. "bsod", "network" or "performance".').optional(),
    })
    .strict(),
  output,
  run({ product, issue_type }) {
    if (product === undefined && issue_type === undefined) {
      return toolError({
        error: 'No product or issue type given',
        reason: 'get_common_fixes selects fixes by product, by issue type or by both, and neither was given.',
        suggested_actions: [
          'Pass product (e.g. "Windows 11") and/or issue_type (e.g. "bsod").',
          'For a free-text question use search_solutions instead.',
        ],
        retryable: true,
        follow_up_tools: ['search_solutions'],
        context: { expected_arguments: ['product', 'issue_type'] },
      });
    }
    const issueWords = issue_type === undefined ? [] : searchWords(issue_type);
    const ranked = rankByScore(KB_ARTICLES, (a) => fixScore(a, product, issueWords)).slice(0, MAX_FIXES);
    return {
      product: product ?? null,
      issue_type: issue_type ?? null,
      common_fixes: ranked.map(({ item, score }) => ({
        article_id: item.article_id,
        title: item.title,
        category: item.category,
        relevance_score: score,
        helpful_count: item.helpful_count,
        tags: [...item.tags],
      })),
      total_found: ranked.length,
      ...(ranked.length === 0
        ? { hint: 'No fix matches. Use a shorter product name (e.g. "Windows", "Ubuntu", "macOS") or search_solutions with keywords.' }
        : {}),
    };
  },
});
