import { rankByScore, searchWords } from '../kit/search.ts';
import { KB_ARTICLES, type Article } from './data.ts';

/** Points one query word earns in each part of an article. */
const POINTS = { title: 10, tag: 5, content: 3, category: 4 } as const;

interface Searchable {
  readonly article: Article;
  readonly title: string;
  readonly tags: readonly string[];
  readonly content: string;
  readonly category: string;
}

const SEARCHABLE: readonly Searchable[] = KB_ARTICLES.map((article) => ({
  article,
  title: article.title.toLowerCase(),
  tags: article.tags.map((tag) => tag.toLowerCase()),
  content: article.content.toLowerCase(),
  category: article.category.toLowerCase(),
}));

/** Title 10, each tag containing the word 5, content 3, category 4 (substring tests). */
function wordScore(entry: Searchable, word: string): number {
  return (
    (entry.title.includes(word) ? POINTS.title : 0) +
    POINTS.tag * entry.tags.filter((tag) => tag.includes(word)).length +
    (entry.content.includes(word) ? POINTS.content : 0) +
    (entry.category.includes(word) ? POINTS.category : 0)
  );
}

/**
 * Ranks articles for a free-text query: each query word is scored on its own and the scores
 * add up, so an article matching more of the words ranks higher.
 */
export function searchArticles(query: string, category: Article['category'] | undefined, max: number): { item: Article; score: number }[] {
  const words = searchWords(query);
  if (words.length === 0) return [];
  const candidates = SEARCHABLE.filter((entry) => category === undefined || entry.article.category === category);
  return rankByScore(candidates, (entry) => words.reduce((sum, word) => sum + wordScore(entry, word), 0))
    .slice(0, max)
    .map(({ item, score }) => ({ item: item.article, score }));
}
