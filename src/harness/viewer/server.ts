import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { realpath } from 'node:fs/promises';
import { comparePage } from './compare-page.ts';
import { errorPage, VIEWER_CSP_HEADER } from './html-page.ts';
import { indexPage } from './index-page.ts';
import { UnreadableResultsError } from './results-file.ts';
import { diffRuns } from './run-diff.ts';
import { RunsIndex, UnknownRunError } from './runs-index.ts';
import { pathSegments, runFile, sendFile } from './static-files.ts';

/** The viewer's only address: this machine. */
export const VIEWER_HOST = '127.0.0.1';

/** How long close() waits for requests in flight before it drops their connections. */
const CLOSE_GRACE_MS = 1000;

/** A running viewer. */
export interface Viewer extends AsyncDisposable {
  /** http://127.0.0.1:<port>/ */
  readonly url: string;
  readonly port: number;
  /** Stops listening and ends every connection; resolves once the port is free. */
  close(): Promise<void>;
}

class HttpError extends Error {
  readonly status: number;
  readonly title: string;
  constructor(status: number, title: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.status = status;
    this.title = title;
  }
}

function sendPage(response: ServerResponse, status: number, html: string, head: boolean, extra: Record<string, string> = {}): void {
  const body = Buffer.from(html, 'utf8');
  response.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': body.length,
    'content-security-policy': VIEWER_CSP_HEADER,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-cache',
    'referrer-policy': 'no-referrer',
    ...extra,
  });
  response.end(head ? undefined : body);
}

async function compare(index: RunsIndex, query: URLSearchParams): Promise<string> {
  const [baseId, headId] = [query.get('base'), query.get('head')];
  if (!baseId || !headId) throw new HttpError(400, 'Two runs needed', 'choose a base and a head run: /compare?base=<run-id>&head=<run-id>');
  const load = async (id: string) => {
    try {
      return { id, record: await index.record(id) };
    } catch (error) {
      if (error instanceof UnknownRunError) throw new HttpError(404, 'Run not found', `no run "${id}" in ${index.root}`);
      if (error instanceof UnreadableResultsError) throw new HttpError(422, 'Run unreadable', `run "${id}": ${error.message}`);
      throw error;
    }
  };
  const base = await load(baseId);
  const head = await load(headId);
  return comparePage({ base, head }, diffRuns(base.record, head.record));
}

async function runRoute(index: RunsIndex, response: ServerResponse, segments: readonly string[], head: boolean): Promise<void> {
  const [id = '', ...rest] = segments;
  const folder = await index.folder(id);
  if (folder === undefined) throw new HttpError(404, 'Run not found', `no run "${id}" in ${index.root}`);
  if (rest.length === 0) {
    response.writeHead(301, { location: `/runs/${encodeURIComponent(id)}/` }).end();
    return;
  }
  // A run's folder opens its report; a comparison of models' folder (no report.html) its comparison.
  const file =
    rest.length === 1 && rest[0] === ''
      ? ((await runFile(folder, ['report.html'])) ?? (await runFile(folder, ['comparison.html'])))
      : await runFile(folder, rest);
  if (file === undefined) throw new HttpError(404, 'File not found', `run "${id}" has no file ${rest.join('/') || 'report.html'}`);
  await sendFile(response, file, head);
}

async function route(index: RunsIndex, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const head = request.method === 'HEAD';
  const url = request.url ?? '';
  const mark = url.indexOf('?');
  const [rawPath, rawQuery] = mark < 0 ? [url, ''] : [url.slice(0, mark), url.slice(mark + 1)];
  const segments = pathSegments(rawPath);
  if (segments === undefined) throw new HttpError(400, 'Bad path', 'the path leaves the served folder or is malformed');
  const [first = '', ...rest] = segments;
  if (first === '' && rest.length === 0) return sendPage(response, 200, indexPage(index.root, await index.list()), head);
  if (first === 'compare' && rest.length === 0) return sendPage(response, 200, await compare(index, new URLSearchParams(rawQuery)), head);
  if (first === 'favicon.ico' && rest.length === 0) return void response.writeHead(204).end();
  if (first === 'runs' && rest.length > 0) return runRoute(index, response, rest, head);
  throw new HttpError(404, 'Not found', `nothing at ${rawPath}`);
}

/** Host names a browser sends for this server; any other is a DNS-rebinding attempt. */
function hostAllowed(host: string | undefined, port: number): boolean {
  return host === `${VIEWER_HOST}:${port}` || host === `localhost:${port}`;
}

function handler(index: RunsIndex, port: () => number) {
  return (request: IncomingMessage, response: ServerResponse) => {
    const head = request.method === 'HEAD';
    if (request.method !== 'GET' && !head) {
      return sendPage(response, 405, errorPage('Method not allowed', `${request.method ?? '?'} is not served: only GET and HEAD`), false, {
        allow: 'GET, HEAD',
      });
    }
    if (!hostAllowed(request.headers.host, port()))
      return sendPage(response, 421, errorPage('Wrong host', 'this viewer answers only to 127.0.0.1 and localhost'), head);
    route(index, request, response).catch((error: unknown) => {
      if (response.headersSent) return void response.destroy();
      if (error instanceof HttpError) return sendPage(response, error.status, errorPage(error.title, error.message), head);
      sendPage(response, 500, errorPage('Viewer error', error instanceof Error ? error.message : String(error)), head);
    });
  };
}

/** Serves a reports folder on 127.0.0.1 (`port` 0: one the system picks) until closed. */
export async function startViewer(options: { root: string; port?: number }): Promise<Viewer> {
  const index = new RunsIndex(await realpath(options.root));
  let port = 0;
  const server = createServer(handler(index, () => port));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, VIEWER_HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
      setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS).unref();
    });
    return closing;
  };
  return { url: `http://${VIEWER_HOST}:${port}/`, port, close, [Symbol.asyncDispose]: close };
}
