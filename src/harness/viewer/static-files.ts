import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import { isPlainName, realInside } from './runs-index.ts';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.jsonl': 'application/x-ndjson; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** The content type of a report file by its extension; unknown kinds are downloads, never sniffed. */
export function contentType(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

// A report page keeps the policy in its own <meta> (which allows its one script by hash); this one
// adds that, whatever report version wrote it, nothing it holds reaches anything but itself.
const REPORT_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const FILE_CSP = "default-src 'none'; sandbox";

/**
 * The path of a request as decoded segments, or undefined when a segment could leave its folder
 * once decoded: "." or "..", a separator, a NUL, a malformed escape, or an empty segment before the last.
 */
export function pathSegments(rawPath: string): string[] | undefined {
  if (!rawPath.startsWith('/')) return undefined;
  const raw = rawPath.slice(1).split('/');
  const decoded: string[] = [];
  for (const [i, segment] of raw.entries()) {
    let text: string;
    try {
      text = decodeURIComponent(segment);
    } catch {
      return undefined;
    }
    if (text === '.' || text === '..' || /[/\\\0]/.test(text) || (text === '' && i < raw.length - 1)) return undefined;
    decoded.push(text);
  }
  return decoded;
}

/**
 * The real path of a file of a run folder, or undefined when there is none or it (or a link on
 * the way) leads outside the folder. Names starting with a dot are never served.
 */
export async function runFile(folder: string, segments: readonly string[]): Promise<string | undefined> {
  if (segments.length === 0 || !segments.every(isPlainName)) return undefined;
  const real = await realInside(folder, join(folder, ...segments));
  return real !== undefined && (await stat(real)).isFile() ? real : undefined;
}

/** Sends a file as it is, streamed, with its content type and a policy that keeps it from loading anything. */
export async function sendFile(response: ServerResponse, path: string, head: boolean): Promise<void> {
  const { size } = await stat(path);
  const type = contentType(path);
  response.writeHead(200, {
    'content-type': type,
    'content-length': size,
    'content-security-policy': type.startsWith('text/html') ? REPORT_CSP : FILE_CSP,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-cache',
  });
  if (head) {
    response.end();
    return;
  }
  await new Promise<void>((resolve, reject) => {
    const stream = createReadStream(path);
    stream.once('error', reject);
    response.once('close', () => {
      stream.destroy();
      resolve();
    });
    stream.pipe(response);
  });
}
