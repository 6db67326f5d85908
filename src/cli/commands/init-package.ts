import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../orchestrator/builtin-servers.ts';

/** The range a new project's package.json names mcp-helpdesk by: this installation's version and its compatible updates. */
export function helpdeskVersionRange(root: string = PROJECT_ROOT): string {
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  return `^${version}`;
}

/** How a package.json names mcp-helpdesk (dependencies or devDependencies), if it does and can be read. */
export function helpdeskSpecIn(manifestPath: string): string | undefined {
  try {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, Record<string, unknown> | undefined>;
    const spec = manifest.dependencies?.['mcp-helpdesk'] ?? manifest.devDependencies?.['mcp-helpdesk'];
    return typeof spec === 'string' ? spec : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether an npm spec names a folder of this machine (`file:../mcp-helpdesk`, `../mcp-helpdesk`): npm links it,
 * and a clone elsewhere or a CI runner has no such folder. A tarball path (.tgz) is a file npm copies, not a folder.
 */
export function namesLocalFolder(spec: string): boolean {
  const path = /^file:/.test(spec) ? spec.slice('file:'.length) : /^(\.{1,2}|~)?\//.test(spec) ? spec : undefined;
  return path !== undefined && !/\.(tgz|tar\.gz|tar)$/i.test(path);
}

/** The warning for a package.json that names mcp-helpdesk by a folder of this machine. */
export function localFolderWarning(spec: string): string {
  return `warning: package.json names mcp-helpdesk by a folder of this machine (${spec}): CI and other clones of the repository will not have that folder; name a version (${helpdeskVersionRange()}) or a git URL there instead`;
}
