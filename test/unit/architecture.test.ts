import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../servers.ts';

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
  it('keeps src/shared a leaf that imports only zod and node builtins (and, in otel.ts alone, OpenTelemetry)', () => {
    const otel = join(ROOT, 'src/shared/otel.ts');
    const wrong = sourceFiles(join(ROOT, 'src/shared')).flatMap((file) =>
      importsOf(file)
        .filter((spec) => !(spec === 'zod' || spec.startsWith('node:') || target(file, spec).startsWith('src/shared/')))
        .filter((spec) => !(file === otel && spec.startsWith('@opentelemetry/')))
        .map((spec) => `${relative(ROOT, file)} imports ${spec}`),
    );
    expect(wrong).toEqual([]);
  });

  it("loads OpenTelemetry only when a trace is asked for: otel.ts is reached by tracing.ts's dynamic import alone", () => {
    const files = ['src', 'servers', 'scripts'].flatMap((dir) => sourceFiles(join(ROOT, dir)));
    const otel = join(ROOT, 'src/shared/otel.ts');
    const tracing = join(ROOT, 'src/shared/tracing.ts');
    const static_ = files.flatMap((file) =>
      importsOf(file)
        .filter((spec) => (file !== otel && spec.startsWith('@opentelemetry/')) || target(file, spec) === 'src/shared/otel.ts')
        .map((spec) => `${relative(ROOT, file)} imports ${spec}`),
    );
    expect(static_).toEqual([]);
    const dynamic = files.filter((file) => /import\((['"])[^'"]*otel\.ts\1\)/.test(readFileSync(file, 'utf8')));
    expect(dynamic.map((f) => relative(ROOT, f))).toEqual([relative(ROOT, tracing)]);
    expect(readFileSync(tracing, 'utf8')).toMatch(
      /if \(!tracingRequested\(env\)\) return Promise\.resolve\(undefined\);\s+starting \?\?= import\('\.\/otel\.ts'\)/,
    );
  });

  it('lets servers import only the kit, their own folder, src/shared, zod and the MCP SDK (servers/all: also the builders)', () => {
    const wrong = sourceFiles(join(ROOT, 'servers')).flatMap((file) => {
      const own = relative(ROOT, file).split('/').slice(0, 2).join('/');
      return importsOf(file)
        .filter((spec) => {
          if (spec === 'zod' || spec.startsWith('node:') || spec.startsWith('@modelcontextprotocol/sdk/')) return false;
          const landed = target(file, spec);
          // servers/all/ is the composition root of `helpdesk serve`: it may take each server's builder.
          const builder = own === 'servers/all' && /^servers\/[a-z]+\/server\.ts$/.test(landed);
          return !(builder || landed.startsWith(`${own}/`) || landed.startsWith('servers/kit/') || landed.startsWith('src/shared/'));
        })
        .map((spec) => `${relative(ROOT, file)} imports ${spec}`);
    });
    expect(wrong).toEqual([]);
  });

  it('keeps the layers one way: shared ← orchestrator ← harness ← api ← cli and the vitest entry', () => {
    const forbidden: Record<string, string[]> = {
      'src/orchestrator': ['src/harness/', 'src/api/', 'src/vitest/', 'src/cli/', 'servers/', 'src/index.ts'],
      'src/harness': ['src/api/', 'src/vitest/', 'src/cli/', 'servers/', 'src/index.ts'],
      'src/api': ['src/vitest/', 'src/cli/', 'servers/', 'src/index.ts'],
      'src/vitest': ['src/cli/', 'servers/'],
      'src/cli': ['src/vitest/', 'servers/'],
    };
    const wrong = Object.entries(forbidden).flatMap(([layer, above]) =>
      sourceFiles(join(ROOT, layer)).flatMap((file) =>
        importsOf(file)
          .filter((spec) => above.some((prefix) => target(file, spec).startsWith(prefix)))
          .map((spec) => `${relative(ROOT, file)} imports ${spec}`),
      ),
    );
    expect(wrong).toEqual([]);
  });

  it('keeps the harness in rooms that read as the pipeline, each importing only the rooms below it', () => {
    // Lowest first: what a fault and a scenario are, the judge, cassettes, running one scenario,
    // grading it, its results; then what reads results (init's scaffold, reporters), the suite
    // loop, the fault matrix on top of it and the viewer.
    const rooms = [
      'faults',
      'scenario',
      'judge',
      'cassettes',
      'run',
      'grading',
      'results',
      'scaffold',
      'reporters',
      'suite',
      'resilience',
      'viewer',
    ];
    const harness = join(ROOT, 'src/harness');
    const roomOf = (path: string) => relative('src/harness', path).split('/')[0] ?? '';
    const files = sourceFiles(harness).map((file) => relative(ROOT, file));
    expect(files.filter((file) => !rooms.includes(roomOf(file)))).toEqual([]);
    const upward = files.flatMap((file) =>
      importsOf(join(ROOT, file))
        .map((spec) => target(join(ROOT, file), spec))
        .filter((landed) => landed.startsWith('src/harness/') && rooms.indexOf(roomOf(landed)) > rooms.indexOf(roomOf(file)))
        .map((landed) => `${file} imports ${landed}`),
    );
    expect(upward).toEqual([]);
  });

  it('keeps every error class in the HelpdeskError taxonomy, but for two that never reach a user as an error', () => {
    // HttpError becomes the viewer's HTTP answer; QuestionsClosed ends init's questions when stdin
    // closes (init then stops quietly).
    const private_ = new Set(['src/harness/viewer/server.ts:HttpError', 'src/cli/ui.ts:QuestionsClosed']);
    const outside = ['src']
      .flatMap((dir) => sourceFiles(join(ROOT, dir)))
      .flatMap((file) =>
        [...readFileSync(file, 'utf8').matchAll(/class (\w+) extends (?:Error|TypeError|RangeError)\b/g)]
          .map((m) => `${relative(ROOT, file)}:${m[1]}`)
          .filter((name) => !private_.has(name)),
      );
    expect(outside).toEqual(['src/orchestrator/errors.ts:HelpdeskError']);
  });

  it('handles Ctrl+C and SIGTERM in one place in src: the Interrupts policy every command uses', () => {
    const handlers = sourceFiles(join(ROOT, 'src')).flatMap((file) =>
      /process\.(?:on|once|addListener)\(\s*'SIG/.test(readFileSync(file, 'utf8')) ? [relative(ROOT, file)] : [],
    );
    expect(handlers).toEqual(['src/cli/interrupts.ts']);
  });

  it('imports each third-party package in one place only', () => {
    const owners: Record<string, string> = {
      openai: 'src/orchestrator/openai-model.ts',
      msw: 'src/harness/cassettes/replay-hub.ts',
      ajv: 'src/harness/cassettes/contract.ts',
      '@inquirer/prompts': 'src/cli/terminal-ui.ts',
      'cli-table3': 'src/harness/reporters/table.ts',
      re2js: 'src/harness/scenario/user-pattern.ts',
      vitest: 'src/vitest/index.ts',
    };
    const files = [...sourceFiles(join(ROOT, 'src')), ...sourceFiles(join(ROOT, 'servers'))];
    const wrong = files.flatMap((file) =>
      importsOf(file)
        .map((spec) =>
          spec
            .split('/')
            .slice(0, spec.startsWith('@') ? 2 : 1)
            .join('/'),
        )
        .filter((pkg) => pkg in owners && owners[pkg] !== relative(ROOT, file))
        .map((pkg) => `${relative(ROOT, file)} imports ${pkg} (only ${owners[pkg]} should)`),
    );
    expect(wrong).toEqual([]);
    for (const [pkg, owner] of Object.entries(owners)) {
      expect(
        importsOf(join(ROOT, owner)).some((spec) => spec === pkg || spec.startsWith(`${pkg}/`)),
        `${owner} imports ${pkg}`,
      ).toBe(true);
    }
  });
});

/** Every test file below `dir`. */
function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : testFiles(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('the unit tier', () => {
  it('mocks no module and stubs no global or variable: its files share worker processes (vitest.config.ts, isolate: false)', () => {
    const unit = ['src', 'servers', 'test/unit'].flatMap((dir) => testFiles(join(ROOT, dir)));
    const shared = unit.filter((file) => /\bvi\.(?:mock|doMock|stubEnv|stubGlobal)\(/.test(readFileSync(file, 'utf8')));
    expect(shared.map((file) => relative(ROOT, file))).toEqual([]);
  });
});
