import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './servers.ts';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)[^'"]*?from\s+'([^']+)'/gm)].map((m) => m[1] ?? '');
}

/** Where a relative import lands, as a path from the repository root. */
function target(file: string, spec: string): string {
  return spec.startsWith('.') ? relative(ROOT, resolve(file, '..', spec)) : spec;
}

describe('dependency direction', () => {
  it('keeps src/shared a leaf that imports only zod and node builtins', () => {
    const wrong = sourceFiles(join(ROOT, 'src/shared')).flatMap((file) =>
      importsOf(file)
        .filter((spec) => !(spec === 'zod' || spec.startsWith('node:') || target(file, spec).startsWith('src/shared/')))
        .map((spec) => `${relative(ROOT, file)} imports ${spec}`),
    );
    expect(wrong).toEqual([]);
  });

  it('lets servers import only the kit, their own folder, src/shared, zod and the MCP SDK', () => {
    const wrong = sourceFiles(join(ROOT, 'servers')).flatMap((file) => {
      const own = relative(ROOT, file).split('/').slice(0, 2).join('/');
      return importsOf(file)
        .filter((spec) => {
          if (spec === 'zod' || spec.startsWith('node:') || spec.startsWith('@modelcontextprotocol/sdk/')) return false;
          const landed = target(file, spec);
          return !(landed.startsWith(`${own}/`) || landed.startsWith('servers/kit/') || landed.startsWith('src/shared/'));
        })
        .map((spec) => `${relative(ROOT, file)} imports ${spec}`);
    });
    expect(wrong).toEqual([]);
  });
});
