import { z } from 'zod';
import { limit, text } from '../../kit/ids.ts';
import { defineTool } from '../../kit/tool.ts';
import { KB_CATEGORIES } from '../data.ts';
import { searchArticles } from '../search.ts';

const output = z.object({
  query: z.string(),
  category: z.enum(KB_CATEGORIES).nullable(),
  results: z.array(
    z.object({
      article_id: z.string(),
      title: z.string(),
      category: z.enum(KB_CATEGORIES),
      relevance_score: z.number().int(),
      tags: z.array(z.string()),
      views: z.number().int(),
      helpful_count: z.number().int(),
    }),
  ),
  total_count: z.number().int(),
  hint: z.string().optional(),
});

export const searchSolutions = defineTool({
  name: 'search_solutions',
  title: 'Search knowledge-base solutions',
  description:
    'Search the knowledge base for how-to articles by keywords, e.g. "BSOD", "Windows blue screen", "ssh slow" or "disk full". Each query word is scored on its own (title 10, each matching tag 5, category 4, body 3) and the scores add up, so articles matching more words rank first. Returns summaries without the article body: call get_article with an ID such as KB-001 to read one. For articles like one you already have, use find_related_articles; for the best-rated fixes of a product (e.g. "Windows 11") use get_common_fixes. An empty list is a normal answer.',
  input: z
    .object({
      query: text('Keywords describing the problem, e.g. "BSOD", "kernel panic" or "network performance". Case-insensitive.'),
      category: z.enum(KB_CATEGORIES).describe('Only articles of this category (exact name).').optional(),
      limit: limit(10, 10),
    })
    .strict(),
  output,
  run({ query, category, limit: max }) {
    const ranked = searchArticles(query, category, max);
    return {
      query,
      category: category ?? null,
      results: ranked.map(({ item, score }) => ({
        article_id: item.article_id,
        title: item.title,
        category: item.category,
        relevance_score: score,
        tags: [...item.tags],
        views: item.views,
        helpful_count: item.helpful_count,
      })),
      total_count: ranked.length,
      ...(ranked.length === 0
        ? {
            hint: category
              ? `No article in ${category} matches these words. Drop the category filter or try other keywords (a product, an error code, a component).`
              : 'No article matches these words. Try other keywords (a product, an error code, a component), or get_common_fixes with a product name.',
          }
        : {}),
    };
  },
});
