import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../orchestrator/builtin-servers.ts';
import { helpdeskSpecIn, helpdeskVersionRange, localFolderWarning, namesLocalFolder } from './init-package.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function manifest(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'init-package-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'package.json'), text);
  return join(dir, 'package.json');
}

describe("init's package spec", () => {
  it("names mcp-helpdesk by a caret range of the version in this package's package.json", () => {
    const { version } = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(helpdeskVersionRange()).toBe(`^${version}`);
    expect(helpdeskVersionRange(join(manifest('{"version": "2.3.4"}'), '..'))).toBe('^2.3.4');
  });

  it('reads how a package.json names mcp-helpdesk, in dependencies or devDependencies, and nothing from one it cannot read', () => {
    expect(helpdeskSpecIn(manifest('{"devDependencies": {"mcp-helpdesk": "file:../mcp-helpdesk"}}'))).toBe('file:../mcp-helpdesk');
    expect(helpdeskSpecIn(manifest('{"dependencies": {"mcp-helpdesk": "github:acme/mcp-helpdesk"}}'))).toBe('github:acme/mcp-helpdesk');
    expect(helpdeskSpecIn(manifest('{"name": "theirs"}'))).toBeUndefined();
    expect(helpdeskSpecIn(manifest('{not json'))).toBeUndefined();
    expect(helpdeskSpecIn('/no/such/package.json')).toBeUndefined();
  });

  it('tells a folder of this machine from a tarball, a version, a git URL and a package alias', () => {
    for (const folder of [
      'file:../mcp-helpdesk',
      'file:/opt/mcp-helpdesk',
      '../mcp-helpdesk',
      './vendor/mcp-helpdesk',
      '/opt/mcp-helpdesk',
      '~/src/mcp-helpdesk',
    ]) {
      expect(namesLocalFolder(folder), folder).toBe(true);
    }
    for (const shared of [
      '^0.1.0',
      'latest',
      'github:acme/mcp-helpdesk',
      'git+https://github.com/acme/mcp-helpdesk.git',
      'file:../mcp-helpdesk-0.1.0.tgz',
      './mcp-helpdesk.tar.gz',
      'npm:other@1',
    ]) {
      expect(namesLocalFolder(shared), shared).toBe(false);
    }
  });

  it('warns that CI and other clones lack the folder, and names a version to use instead', () => {
    expect(localFolderWarning('file:../mcp-helpdesk')).toBe(
      `warning: package.json names mcp-helpdesk by a folder of this machine (file:../mcp-helpdesk): CI and other clones of the repository will not have that folder; name a version (${helpdeskVersionRange()}) or a git URL there instead`,
    );
  });
});
