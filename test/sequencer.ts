import { BaseSequencer, type TestSpecification } from 'vitest/node';

// The longest files of the first group, longest first (seconds each, measured beside another file on
// this 2-core machine). Vitest orders files by their last durations when it has them; a clean clone
// (CI) has none, and its fallback, larger files first within each project in name order, started the
// 68-second fresh clone 13 s in and the 59-second eval CLI file 41 s in, leaving a core idle at the end.
// A file missing here only runs later; a file no longer slow only runs earlier.
const SLOWEST_FIRST = [
  'test/e2e/fresh-clone.test.ts', // 68
  'test/integration/eval-cli.test.ts', // 59
  'test/integration/workers-cli.test.ts', // 42
  'test/integration/ask-and-tools-cli.test.ts', // 24
  'test/integration/fault-matrix-cli.test.ts', // 23
  'test/integration/init-cli.test.ts', // 21
  'test/integration/pool-misbehaving-servers.test.ts', // 17
  'test/e2e/chat-terminal.test.ts', // 16
];

/** Vitest's order, except that a run without recorded durations starts the known slow files first. */
export default class SlowestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    if (sorted.every((file) => this.ctx.cache.getTestSpecificationResult(file))) return sorted;
    const rank = (file: TestSpecification) => {
      const index = SLOWEST_FIRST.findIndex((path) => file.moduleId.endsWith(`/${path}`));
      return index < 0 ? SLOWEST_FIRST.length : index;
    };
    // Stable: within a group, the listed files first in their order, then the rest as Vitest had them.
    const group = (file: TestSpecification) => file.project.config.sequence.groupOrder;
    return sorted
      .map((file, position) => ({ file, position }))
      .sort((a, b) => group(a.file) - group(b.file) || rank(a.file) - rank(b.file) || a.position - b.position)
      .map(({ file }) => file);
  }
}
