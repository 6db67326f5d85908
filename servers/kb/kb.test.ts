import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/shared/clock.ts';
import { connectInMemory } from '../kit/testing.ts';
import { KB_ARTICLES } from './data.ts';
import { buildServer } from './server.ts';

type Session = Awaited<ReturnType<typeof connectInMemory>>;
let s: Session;
beforeAll(async () => {
  s = await connectInMemory(buildServer);
});
afterAll(() => s.close());

type Scored = { article_id: string; relevance_score: number };
const scored = (items: Scored[]) => items.map((a) => [a.article_id, a.relevance_score]);
const LINUX_ADMINISTRATION = [
  ['KB-010', 22],
  ['KB-002', 19],
  ['KB-007', 19],
  ['KB-005', 9],
];

describe('knowledge-base server', () => {
  it('lists exactly the four knowledge-base tools', async () => {
    const { tools } = await s.client.listTools();
    expect(tools.map((t) => t.name)).toEqual(['search_solutions', 'get_article', 'find_related_articles', 'get_common_fixes']);
  });

  it('declares strict input schemas with a description on every field', async () => {
    const { tools } = await s.client.listTools();
    for (const tool of tools) {
      expect(tool.inputSchema.additionalProperties).toBe(false);
      for (const property of Object.values(tool.inputSchema.properties ?? {})) {
        expect((property as { description?: string }).description).toBeTruthy();
      }
    }
  });

  it.each([
    ['windows', ['001', '008']],
    ['network', ['001', '004', '009']],
    ['linux', ['010']],
    ['performance', ['004']],
    ['ssh', ['007']],
    ['bitlocker', ['008']],
    ['kernel', ['003', '010']],
    ['disk', ['002', '006']],
    ['driver', ['001', '004', '006', '010']],
    ['dns', ['007', '009']],
    ['cpu', ['010']],
    ['panic', ['003']],
    ['kernel panics', ['003']],
    ['space', ['002']],
    ['→', ['001', '003', '004', '006']],
    ['update', ['001', '003', '004', '005', '006', '008', '010']],
    ['log', ['002', '003', '006', '007', '009', '010']],
    ['bsod', []],
    ['blue', []],
    ['screen', []],
    ['troubleshooting', []],
    ['disk space', []],
  ])('article bodies containing "%s" are exactly the reference ones', (word, expected) => {
    const found = KB_ARTICLES.filter((a) => a.content.toLowerCase().includes(word)).map((a) => a.article_id.slice(3));
    expect(found).toEqual(expected);
  });

  it.each([
    ['BSOD', [['KB-001', 15]]],
    ['ssh', [['KB-007', 18]]],
    ['bitlocker', [['KB-008', 18]]],
    [
      'network',
      [
        ['KB-004', 22],
        ['KB-007', 5],
        ['KB-001', 3],
        ['KB-009', 3],
      ],
    ],
    [
      'windows',
      [
        ['KB-001', 22],
        ['KB-006', 19],
        ['KB-004', 15],
        ['KB-008', 12],
        ['KB-009', 5],
      ],
    ],
    ['linux', LINUX_ADMINISTRATION],
    [
      'troubleshooting',
      [
        ['KB-003', 15],
        ['KB-004', 15],
        ['KB-009', 10],
        ['KB-005', 5],
        ['KB-001', 4],
        ['KB-006', 4],
      ],
    ],
    [
      'performance',
      [
        ['KB-004', 18],
        ['KB-007', 5],
        ['KB-010', 5],
      ],
    ],
  ])('single-word query "%s" keeps the reference scores', async (query, expected) => {
    const r = await s.call('search_solutions', { query });
    expect(r.isError).toBe(false);
    expect(scored(r.data.results)).toEqual(expected);
    expect(r.data.total_count).toBe(expected.length);
    expect(r.data.hint).toBeUndefined();
  });

  it('finds the BSOD article first for "Windows blue screen", adding up the word scores', async () => {
    const r = await s.call('search_solutions', { query: 'Windows blue screen' });
    // KB-001: windows 22 + blue 5 + screen 5 (both from the tag blue-screen).
    expect(scored(r.data.results)).toEqual([
      ['KB-001', 32],
      ['KB-006', 19],
      ['KB-004', 15],
      ['KB-008', 12],
      ['KB-009', 5],
    ]);
  });

  it.each([
    ['blue screen', [['KB-001', 10]]],
    [
      'kernel panic',
      [
        ['KB-003', 36],
        ['KB-010', 8],
      ],
    ],
    [
      'kernel panics',
      [
        ['KB-003', 21],
        ['KB-010', 8],
      ],
    ],
    [
      'disk space',
      [
        ['KB-002', 36],
        ['KB-006', 3],
      ],
    ],
    [
      'network troubleshooting',
      [
        ['KB-004', 37],
        ['KB-003', 15],
        ['KB-009', 13],
        ['KB-001', 7],
        ['KB-005', 5],
        ['KB-007', 5],
        ['KB-006', 4],
      ],
    ],
  ])('multi-word query "%s" ranks by the summed word scores', async (query, expected) => {
    const r = await s.call('search_solutions', { query });
    expect(scored(r.data.results)).toEqual(expected);
  });

  it('returns article summaries with tags, views and helpful votes', async () => {
    const r = await s.call('search_solutions', { query: 'bitlocker' });
    expect(r.data).toEqual({
      query: 'bitlocker',
      category: null,
      results: [
        {
          article_id: 'KB-008',
          title: 'BitLocker Recovery Key Issues After BIOS Update',
          category: 'Windows Security',
          relevance_score: 18,
          tags: ['windows', 'bitlocker', 'encryption', 'tpm', 'security'],
          views: 2103,
          helpful_count: 189,
        },
      ],
      total_count: 1,
    });
  });

  it('filters by category', async () => {
    const linux = await s.call('search_solutions', { query: 'linux', category: 'Linux Administration' });
    expect(scored(linux.data.results)).toEqual(LINUX_ADMINISTRATION);
    expect(linux.data.category).toBe('Linux Administration');
    const windows = await s.call('search_solutions', { query: 'windows', category: 'Windows Security' });
    expect(scored(windows.data.results)).toEqual([['KB-008', 12]]);
  });

  it('cuts results to the limit', async () => {
    const r = await s.call('search_solutions', { query: 'windows', limit: 2 });
    expect(scored(r.data.results)).toEqual([
      ['KB-001', 22],
      ['KB-006', 19],
    ]);
    expect(r.data.total_count).toBe(2);
  });

  it.each([
    [{ query: 'xyz123nonexistent' }, /Try other keywords/],
    [{ query: '???' }, /Try other keywords/],
    [{ query: 'ssh', category: 'Windows Security' }, /Drop the category filter/],
  ])('answers %j with an empty list and a hint, not an error', async (args, hint) => {
    const r = await s.call('search_solutions', args);
    expect(r.isError).toBe(false);
    expect(r.data.results).toEqual([]);
    expect(r.data.total_count).toBe(0);
    expect(r.data.hint).toMatch(hint);
  });

  it('rejects a category that is not one of the six exact names', async () => {
    const r = await s.call('search_solutions', { query: 'linux', category: 'linux administration' });
    expect(r.isError).toBe(true);
    expect(r.data.reason).toContain('\'category\' must be one of "Windows Troubleshooting", "Linux Administration"');
    expect(r.data.context.expected_arguments).toContain(
      'category (string, optional, one of Windows Troubleshooting|Linux Administration|macOS Support|Network Issues|Windows Security|Active Directory)',
    );
  });

  it.each([
    [{}, "missing required argument 'query'."],
    [{ query: 42 }, "'query' must be a string (got 42)."],
    [{ query: '' }, '\'query\' must be at least 1 character long (got "").'],
    [{ query: 'x'.repeat(201) }, "'query' must be at most 200 characters long (got 201 characters)."],
    [{ query: 'ssh', limit: 0 }, "'limit' must be at least 1 (got 0)."],
    [{ query: 'ssh', limit: 11 }, "'limit' must be at most 10 (got 11)."],
    [{ query: 'ssh', limit: '5' }, '\'limit\' must be a number (got "5").'],
    [{ query: 'ssh', tags: ['linux'] }, "unknown argument 'tags'."],
  ])('rejects search_solutions arguments %j with a retryable envelope', async (args, reason) => {
    const r = await s.call('search_solutions', args);
    expect(r.isError).toBe(true);
    expect(r.data).toMatchObject({ error: 'Invalid arguments for search_solutions', reason, retryable: true });
  });

  it('returns a full article by ID', async () => {
    const r = await s.call('get_article', { article_id: 'KB-007' });
    expect(r.isError).toBe(false);
    expect(r.data).toMatchObject({
      article_id: 'KB-007',
      title: 'SSH Slow Authentication on Linux - Solutions',
      category: 'Linux Administration',
      tags: ['linux', 'ssh', 'authentication', 'performance', 'network'],
      related_products: ['Debian', 'Ubuntu', 'CentOS', 'RHEL'],
      last_updated: '2025-10-05',
      views: 1432,
      helpful_count: 128,
    });
    expect(r.data.content).toMatch(/^# /);
    expect(r.data.content).toContain('UseDNS no');
    expect(r.data.content).toContain('GSSAPIAuthentication no');
  });

  it('returns a retryable envelope when the article does not exist', async () => {
    const r = await s.call('get_article', { article_id: 'KB-999' });
    expect(r.isError).toBe(true);
    expect(r.data).toMatchObject({
      error: 'Article KB-999 not found',
      retryable: true,
      follow_up_tools: ['search_solutions', 'find_related_articles'],
      context: { article_id: 'KB-999' },
    });
    expect(r.data.suggested_actions).toHaveLength(2);
    expect(r.data.article_id).toBeUndefined();
    expect(r.structured).toEqual(r.data);
  });

  it.each([
    [{ article_id: 'kb-001' }, '\'article_id\' must look like KB-001 (got "kb-001").'],
    [{ article_id: 'KB-1' }, '\'article_id\' must look like KB-001 (got "KB-1").'],
    [{ article_id: 1 }, "'article_id' must be a string (got 1)."],
    [{}, "missing required argument 'article_id'."],
    [{ article_id: 'KB-001', full: true }, "unknown argument 'full'."],
  ])('rejects get_article arguments %j', async (args, reason) => {
    const r = await s.call('get_article', args);
    expect(r.isError).toBe(true);
    expect(r.data.reason).toBe(reason);
    expect(r.data.context.expected_arguments).toEqual(['article_id (string, required, pattern ^KB-\\d{3}$)']);
  });

  it.each([
    [
      'KB-001',
      [
        ['KB-006', 8],
        ['KB-008', 3],
      ],
    ],
    [
      'KB-002',
      [
        ['KB-005', 8],
        ['KB-007', 8],
        ['KB-010', 8],
      ],
    ],
    [
      'KB-003',
      [
        ['KB-004', 3],
        ['KB-005', 3],
      ],
    ],
    [
      'KB-004',
      [
        ['KB-007', 6],
        ['KB-003', 3],
        ['KB-005', 3],
        ['KB-009', 3],
        ['KB-010', 3],
      ],
    ],
    [
      'KB-007',
      [
        ['KB-010', 11],
        ['KB-002', 8],
        ['KB-005', 8],
        ['KB-004', 6],
      ],
    ],
    ['KB-009', [['KB-004', 3]]],
  ])('relates %s to the reference articles', async (article_id, expected) => {
    const r = await s.call('find_related_articles', { article_id });
    expect(r.isError).toBe(false);
    expect(scored(r.data.related_articles)).toEqual(expected);
    expect(r.data.total_found).toBe(expected.length);
    expect(r.data.article_id).toBe(article_id);
    expect(r.data.topic).toBeNull();
  });

  it("lists common tags in the source article's tag order", async () => {
    const r = await s.call('find_related_articles', { article_id: 'KB-007' });
    const tags = Object.fromEntries(
      r.data.related_articles.map((a: { article_id: string; common_tags: string[] }) => [a.article_id, a.common_tags]),
    );
    expect(tags).toEqual({
      'KB-010': ['linux', 'performance'],
      'KB-002': ['linux'],
      'KB-005': ['linux'],
      'KB-004': ['performance', 'network'],
    });
  });

  it('cuts related articles to the limit', async () => {
    const r = await s.call('find_related_articles', { article_id: 'KB-007', limit: 2 });
    expect(scored(r.data.related_articles)).toEqual([
      ['KB-010', 11],
      ['KB-002', 8],
    ]);
  });

  it('relates a topic with the search scoring and no common tags', async () => {
    const r = await s.call('find_related_articles', { topic: 'Windows blue screen', limit: 3 });
    expect(r.data.article_id).toBeNull();
    expect(r.data.topic).toBe('Windows blue screen');
    expect(scored(r.data.related_articles)).toEqual([
      ['KB-001', 32],
      ['KB-006', 19],
      ['KB-004', 15],
    ]);
    expect(r.data.related_articles.every((a: { common_tags: string[] }) => a.common_tags.length === 0)).toBe(true);
  });

  it('prefers article_id when both article_id and topic are given', async () => {
    const r = await s.call('find_related_articles', { article_id: 'KB-001', topic: 'ssh' });
    expect(scored(r.data.related_articles)).toEqual([
      ['KB-006', 8],
      ['KB-008', 3],
    ]);
    expect(r.data.topic).toBe('ssh');
  });

  it('answers a topic nothing matches with an empty list and a hint', async () => {
    const r = await s.call('find_related_articles', { topic: 'xyz123nonexistent' });
    expect(r.isError).toBe(false);
    expect(r.data).toMatchObject({ related_articles: [], total_found: 0 });
    expect(r.data.hint).toMatch(/No article matches this topic/);
  });

  it('asks for article_id or topic when neither is given', async () => {
    const r = await s.call('find_related_articles', { limit: 3 });
    expect(r.isError).toBe(true);
    expect(r.data).toMatchObject({
      error: 'No article or topic given',
      retryable: true,
      follow_up_tools: ['search_solutions'],
      context: { expected_arguments: ['article_id', 'topic'] },
    });
  });

  it('returns a retryable envelope when the source article does not exist', async () => {
    const r = await s.call('find_related_articles', { article_id: 'KB-999' });
    expect(r.isError).toBe(true);
    expect(r.data).toMatchObject({
      error: 'Article KB-999 not found',
      retryable: true,
      follow_up_tools: ['search_solutions'],
      context: { article_id: 'KB-999' },
    });
    expect(r.data.suggested_actions).toHaveLength(2);
  });

  it.each([
    [{ article_id: 'KB-01' }, '\'article_id\' must look like KB-001 (got "KB-01").'],
    [{ topic: '' }, '\'topic\' must be at least 1 character long (got "").'],
    [{ topic: ['ssh'] }, '\'topic\' must be a string (got ["ssh"]).'],
    [{ article_id: 'KB-001', limit: 11 }, "'limit' must be at most 10 (got 11)."],
    [{ article_id: 'KB-001', limit: 1.5 }, "'limit' must be a whole number (got 1.5)."],
    [{ article_id: 'KB-001', category: 'Active Directory' }, "unknown argument 'category'."],
  ])('rejects find_related_articles arguments %j', async (args, reason) => {
    const r = await s.call('find_related_articles', args);
    expect(r.isError).toBe(true);
    expect(r.data).toMatchObject({ error: 'Invalid arguments for find_related_articles', reason, retryable: true });
  });

  it.each([
    [
      { product: 'Windows 11' },
      [
        ['KB-001', 10],
        ['KB-006', 10],
        ['KB-008', 10],
      ],
    ],
    [
      { product: 'Windows 11', issue_type: 'bsod' },
      [
        ['KB-001', 23],
        ['KB-006', 10],
        ['KB-008', 10],
      ],
    ],
    [{ issue_type: 'bsod' }, [['KB-001', 13]]],
    [
      { issue_type: 'network' },
      [
        ['KB-004', 13],
        ['KB-007', 5],
      ],
    ],
    [
      { product: 'Ubuntu' },
      [
        ['KB-002', 10],
        ['KB-005', 10],
        ['KB-007', 10],
        ['KB-010', 10],
      ],
    ],
    [
      { product: 'Windows Server' },
      [
        ['KB-001', 10],
        ['KB-004', 10],
        ['KB-006', 10],
        ['KB-009', 10],
      ],
    ],
    [{ product: 'macos' }, [['KB-003', 10]]],
    [{ issue_type: 'blue screen' }, [['KB-001', 10]]],
    [
      { issue_type: 'Network performance' },
      [
        ['KB-004', 26],
        ['KB-007', 10],
        ['KB-010', 5],
      ],
    ],
  ])('common fixes for %j match the reference scores', async (args, expected) => {
    const r = await s.call('get_common_fixes', args);
    expect(r.isError).toBe(false);
    expect(scored(r.data.common_fixes)).toEqual(expected);
    expect(r.data.total_found).toBe(expected.length);
  });

  it('returns each fix with its helpful votes and tags', async () => {
    const r = await s.call('get_common_fixes', { issue_type: 'bsod' });
    expect(r.data).toEqual({
      product: null,
      issue_type: 'bsod',
      common_fixes: [
        {
          article_id: 'KB-001',
          title: 'Resolving Windows BSOD DRIVER_IRQL_NOT_LESS_OR_EQUAL',
          category: 'Windows Troubleshooting',
          relevance_score: 13,
          helpful_count: 142,
          tags: ['windows', 'bsod', 'driver', 'critical', 'blue-screen'],
        },
      ],
      total_found: 1,
    });
  });

  it('answers fixes nothing matches with an empty list and a hint', async () => {
    const r = await s.call('get_common_fixes', { product: 'Solaris', issue_type: 'printer' });
    expect(r.isError).toBe(false);
    expect(r.data).toMatchObject({ product: 'Solaris', issue_type: 'printer', common_fixes: [], total_found: 0 });
    expect(r.data.hint).toMatch(/shorter product name/);
  });

  it('asks for a product or an issue type when neither is given', async () => {
    const r = await s.call('get_common_fixes', {});
    expect(r.isError).toBe(true);
    expect(r.data).toMatchObject({
      error: 'No product or issue type given',
      retryable: true,
      follow_up_tools: ['search_solutions'],
      context: { expected_arguments: ['product', 'issue_type'] },
    });
  });

  it.each([
    [{ product: 11 }, "'product' must be a string (got 11)."],
    [{ issue_type: '' }, '\'issue_type\' must be at least 1 character long (got "").'],
    [{ product: 'Windows 11', severity: 'high' }, "unknown argument 'severity'."],
  ])('rejects get_common_fixes arguments %j', async (args, reason) => {
    const r = await s.call('get_common_fixes', args);
    expect(r.isError).toBe(true);
    expect(r.data).toMatchObject({ error: 'Invalid arguments for get_common_fixes', reason, retryable: true });
  });

  it('gives the same answers at another clock date (no tool reads the clock)', async () => {
    const later = await connectInMemory(buildServer, fixedClock('2026-11-20T08:00:00Z'));
    const search = await later.call('search_solutions', { query: 'windows' });
    const fixes = await later.call('get_common_fixes', { product: 'Windows 11', issue_type: 'bsod' });
    await later.close();
    expect(search.data).toEqual((await s.call('search_solutions', { query: 'windows' })).data);
    expect(scored(fixes.data.common_fixes)).toEqual([
      ['KB-001', 23],
      ['KB-006', 10],
      ['KB-008', 10],
    ]);
  });

  it('never changes the shared article data', async () => {
    const r = await s.call('get_article', { article_id: 'KB-001' });
    r.data.tags.push('changed');
    expect(Object.isFrozen(KB_ARTICLES[0]?.tags)).toBe(true);
    const again = await s.call('get_article', { article_id: 'KB-001' });
    expect(again.data.tags).toEqual(['windows', 'bsod', 'driver', 'critical', 'blue-screen']);
  });
});
