import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';

/** Folders of this repository whose paths the docs name in backticks; such a path must exist. */
const REPO_PATH = /^(?:src|servers|scripts|test|scenarios|recordings|docs|\.ci)\/\S*$/;
/** A placeholder (`servers/<name>/`, `scenarios/intent-*.json`, `TKT-1001…1015`) names no one file. */
const PLACEHOLDER = /[<*…]/;

/** The anchor GitHub gives a heading: lower case, backticks and punctuation but `-` and `_` dropped, spaces to `-`. */
export function githubSlug(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Each line of a Markdown text outside fenced code blocks, with its 1-based number. */
function proseLines(markdown: string): { line: number; text: string }[] {
  const lines: { line: number; text: string }[] = [];
  let fence: string | undefined;
  for (const [i, text] of markdown.split('\n').entries()) {
    const marker = /^\s*(`{3,}|~{3,})/.exec(text)?.[1];
    if (marker && (fence === undefined || marker.startsWith(fence))) {
      fence = fence === undefined ? marker : undefined;
      continue;
    }
    if (fence === undefined) lines.push({ line: i + 1, text });
  }
  return lines;
}

/** The heading anchors of a Markdown text; a repeated heading gets `-1`, `-2`, … as on GitHub. */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const { text } of proseLines(markdown)) {
    const heading = /^#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(text)?.[1];
    if (heading === undefined) continue;
    const slug = githubSlug(heading);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

const isFile = (path: string): boolean => existsSync(path) && statSync(path).isFile();

/**
 * What is broken in one Markdown file of the repository, one line per finding (`file:line: problem`):
 * relative links to files that do not exist, `#anchor`s no heading of the target has, and repository
 * paths named in backticks (`src/…`, `test/…`, …) that do not exist. `file` is relative to `root`.
 * Links and code inside fenced blocks are left alone; so are URLs with a scheme.
 */
export function checkMarkdown(file: string, markdown: string, root: string): string[] {
  const findings: string[] = [];
  const anchorsOf = new Map<string, Set<string>>([[normalize(file), headingAnchors(markdown)]]);
  const anchors = (target: string): Set<string> => {
    let known = anchorsOf.get(target);
    if (!known) anchorsOf.set(target, (known = headingAnchors(readFileSync(join(root, target), 'utf8'))));
    return known;
  };
  for (const { line, text } of proseLines(markdown)) {
    const at = `${file}:${line}`;
    for (const [, code] of text.matchAll(/`([^`]+)`/g)) {
      if (code && REPO_PATH.test(code) && !PLACEHOLDER.test(code) && !existsSync(join(root, code))) {
        findings.push(`${at}: \`${code}\` names a path that does not exist`);
      }
    }
    const prose = text.replace(/`[^`]*`/g, '');
    for (const [, target] of prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      if (!target || /^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
      const [rawPath = '', anchor] = target.split('#', 2);
      const path = rawPath === '' ? normalize(file) : normalize(join(dirname(file), decodeURIComponent(rawPath)));
      if (rawPath !== '' && !existsSync(join(root, path))) {
        findings.push(`${at}: link to ${target}: ${path} does not exist`);
        continue;
      }
      if (anchor === undefined) continue;
      if (rawPath !== '' && (!path.endsWith('.md') || !isFile(join(root, path)))) {
        findings.push(`${at}: link to ${target}: an anchor into ${path}, which is no Markdown file`);
      } else if (!anchors(path).has(decodeURIComponent(anchor))) {
        findings.push(`${at}: link to ${target}: ${path} has no heading #${anchor}`);
      }
    }
  }
  return findings;
}
