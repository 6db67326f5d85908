import { z } from 'zod';
import { articleId, limit, text } from '../../kit/ids.ts';
import { rankByScore } from '../../kit/search.ts';
import { defineTool, toolError } from '../../kit/tool.ts';
import { KB_ARTICLES, KB_CATEGORIES, type Article } from '../data.ts';
import { searchArticles } from '../search.ts';

const output = z.object({
  article_id: z.string().nullable(),
  topic: z.string().nullable(),
  related_articles: z.array(
    z.object({
      article_id: z.string(),
      title: z.string(),
      category: z.enum(KB_CATEGORIES),
      relevance_score: z.number().int(),
      common_tags: z.array(z.string()),
    }),
  ),
  total_found: z.number().int(),
  hint: z.string().optional(),
});

type Related = z.infer<typeof output>['related_articles'][number];

/** Shared tags, in the source article's tag order so the output is deterministic. */
function commonTags(source: Article, other: Article): string[] {
  return source.tags.filter((tag) => other.tags.includes(tag));
}

function relatedTo(source: Article, max: number): Related[] {
  const others = KB_ARTICLES.filter((a) => a.article_id !== source.article_id);
  const score = (other: Article) => 3 * commonTags(source, other).length + (other.category === source.category ? 5 : 0);
  return rankByScore(others, score)
    .slice(0, max)
    .map(({ item, score: relevance_score }) => ({
      article_id: item.article_id,
      title: item.title,
      category: item.category,
      relevance_score,
      common_tags: commonTags(source, item),
    }));
}

function aboutTopic(topic: string, max: number): Related[] {
  return searchArticles(topic, undefined, max).map(({ item, score }) => ({
    article_id: item.article_id,
    title: item.title,
    category: item.category,
    relevance_score: score,
    common_tags: [],
  }));
}

function articleNotFound(article_id: string) {
  return toolError({
    error: `Article ${article_id} not found`,
    reason: 'Related articles are found from a source article, and no article has this ID.',
    suggested_actions: [
      'Search the topic with search_solutions instead, or call find_related_articles with topic.',
      'Check the ID format: KB- followed by three digits, e.g. KB-001 (sample articles run to KB-010).',
    ],
    retryable: true,
    follow_up_tools: ['search_solutions'],
    context: { article_id },
  });
}

const missingSource = () =>
  toolError({
    error: 'No article or topic given',
    reason: 'find_related_articles needs something to relate to: an article_id or a topic.',
    suggested_actions: [
      'Pass article_id (e.g. KB-001) to find articles sharing its tags and category.',
      'Or pass topic (e.g. "windows performance") to find articles about a subject.',
    ],
    retryable: true,
    follow_up_tools: ['search_solutions'],
    context: { expected_arguments: ['article_id', 'topic'] },
  });

export const findRelatedArticles = defineTool({
  name: 'find_related_articles',
  title: 'Find related articles',
  description:
    'Suggest further reading. With article_id (e.g. KB-001): other articles ranked by shared tags (3 points each) and same category (5 points), listing the shared tags. With topic instead: articles ranked like search_solutions. Give one of the two; article_id wins when both are given. Use search_solutions for a first keyword search and get_article to read an article in full.',
  input: z
    .object({
      article_id: articleId('Source article to find relatives of').optional(),
      topic: text('A subject to find articles about, e.g. "linux performance"; used when article_id is absent.').optional(),
      limit: limit(5, 10),
    })
    .strict(),
  output,
  run({ article_id, topic, limit: max }) {
    let related: Related[];
    let hint: string;
    if (article_id !== undefined) {
      const source = KB_ARTICLES.find((a) => a.article_id === article_id);
      if (!source) return articleNotFound(article_id);
      related = relatedTo(source, max);
      hint = `${article_id} shares no tag or category with any other article. Search its subject with search_solutions instead.`;
    } else if (topic !== undefined) {
      related = aboutTopic(topic, max);
      hint = 'No article matches this topic. Try other or fewer keywords.';
    } else {
      return missingSource();
    }
    return {
      article_id: article_id ?? null,
      topic: topic ?? null,
      related_articles: related,
      total_found: related.length,
      ...(related.length === 0 ? { hint } : {}),
    };
  },
});
