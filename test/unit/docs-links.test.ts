import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkMarkdown, githubSlug, headingAnchors } from '../support/markdown-links.ts';
import { ROOT } from '../servers.ts';

// The README is the front door and docs/ holds the reference: a link that lands nowhere, an anchor
// a heading no longer has, or a path the prose names that was moved is a broken promise to a reader.

const docs = existsSync(join(ROOT, 'docs'))
  ? readdirSync(join(ROOT, 'docs'))
      .filter((name) => name.endsWith('.md'))
      .sort()
  : [];
const pages = ['README.md', ...docs.map((name) => `docs/${name}`)];

describe('the README and docs/', () => {
  it.each(pages)('%s links only to files and headings that exist, and names only repository paths that exist', (page) => {
    expect(checkMarkdown(page, readFileSync(join(ROOT, page), 'utf8'), ROOT)).toEqual([]);
  });

  it('keeps the README a front door of fewer than 400 lines (the reference lives in docs/)', () => {
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n').length).toBeLessThan(400);
  });

  it('links every page of docs/ from the README', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(docs.filter((name) => !readme.includes(`](docs/${name}`))).toEqual([]);
  });
});

describe('the link checker', () => {
  it('reports a missing anchor, a missing file, an anchor into another page that it lacks, and a named path that does not exist', () => {
    const page = [
      '# Top',
      '',
      'See [the top](#top), [nowhere](#nowhere), [the license](../LICENSE) and [a ghost](ghost.md).',
      'The quick start is [here](../README.md#quick-start-this-repository); [this](../README.md#no-such-heading) is not.',
      'The envelope is `src/shared/envelope.ts`, not `src/shared/missing.ts`; `servers/<name>/` is a placeholder.',
    ].join('\n');
    expect(checkMarkdown('docs/inline.md', page, ROOT)).toEqual([
      'docs/inline.md:3: link to #nowhere: docs/inline.md has no heading #nowhere',
      'docs/inline.md:3: link to ghost.md: docs/ghost.md does not exist',
      'docs/inline.md:4: link to ../README.md#no-such-heading: README.md has no heading #no-such-heading',
      'docs/inline.md:5: `src/shared/missing.ts` names a path that does not exist',
    ]);
  });

  it('slugs headings as GitHub does: lower case, backticks and punctuation dropped, spaces to hyphens, repeats numbered', () => {
    expect(githubSlug('Your own MCP servers: `helpdesk init`')).toBe('your-own-mcp-servers-helpdesk-init');
    expect(githubSlug('Mutation testing (`npm run mutate`)')).toBe('mutation-testing-npm-run-mutate');
    expect(githubSlug('When replay fails: drift triage and rebase')).toBe('when-replay-fails-drift-triage-and-rebase');
    expect(githubSlug('snake_case and kebab-case')).toBe('snake_case-and-kebab-case');
    expect([...headingAnchors('# Notes\n## Notes\n### Notes #\n')]).toEqual(['notes', 'notes-1', 'notes-2']);
  });

  it('leaves fenced code, URLs and placeholders alone', () => {
    const page = [
      '[MCP](https://modelcontextprotocol.io) and [mail](mailto:a@b.c); `scenarios/intent-*.json`, `recordings/<id>.json`.',
      '```bash',
      '# not a heading, and [not a link](#nowhere) with `src/not/checked.ts`',
      '```',
      '[back](#a-heading)',
      '## A heading',
    ].join('\n');
    expect(checkMarkdown('README.md', page, ROOT)).toEqual([]);
    expect(headingAnchors(page)).toEqual(new Set(['a-heading']));
  });
});
