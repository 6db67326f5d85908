import { z } from 'zod';
import { articleId } from '../../kit/ids.ts';
import { defineTool, toolError } from '../../kit/tool.ts';
import { ArticleSchema, KB_ARTICLES } from '../data.ts';

export const getArticle = defineTool({
  name: 'get_article',
  title: 'Get knowledge-base article',
  description:
    'Return one knowledge-base article in full: title, category, the markdown body with step-by-step instructions and commands, tags, related products, last update, views and helpful votes. Takes an article ID such as KB-001 (from search_solutions, find_related_articles or get_common_fixes). Use search_solutions first when you do not know the ID.',
  input: z.object({ article_id: articleId('ID of the article to read') }).strict(),
  output: ArticleSchema,
  run({ article_id }) {
    const article = KB_ARTICLES.find((a) => a.article_id === article_id);
    return (
      article ??
      toolError({
        error: `Article ${article_id} not found`,
        reason: 'The knowledge base has no article with this ID.',
        suggested_actions: [
          'Search with search_solutions using a few keywords about the problem to find the right article ID.',
          'Start from an article you already know with find_related_articles (sample articles run from KB-001 to KB-010).',
        ],
        retryable: true,
        follow_up_tools: ['search_solutions', 'find_related_articles'],
        context: { article_id },
      })
    );
  },
});
