import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian's Chromium (apt-get install chromium). */
export const CHROMIUM = '/usr/bin/chromium';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
  '--remote-debugging-port=0',
];

/** Why the browser tests cannot run here, or null when they can. */
export function chromiumMissing(): string | null {
  return existsSync(CHROMIUM) ? null : `${CHROMIUM} is not installed (apt-get install -y chromium)`;
}

/** What the page reported while it was open. */
export interface PageLog {
  /** console.error/assert calls and browser log entries at level error, as text. */
  readonly consoleErrors: string[];
  /** Uncaught exceptions in page scripts. */
  readonly exceptions: string[];
  /** Every URL the page requested, the document included. */
  readonly requests: string[];
  /** Requests that failed, with the browser's reason. */
  readonly failedRequests: string[];
}

interface Pending {
  readonly resolve: (result: Record<string, unknown>) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

type CdpEvent = { method: string; params: Record<string, unknown>; sessionId?: string };

/** A minimal Chrome DevTools Protocol client over Node's built-in WebSocket, one page session. */
class Cdp {
  readonly #socket: WebSocket;
  readonly #pending = new Map<number, Pending>();
  readonly #listeners = new Set<(event: CdpEvent) => void>();
  #nextId = 1;
  sessionId: string | undefined;

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    socket.addEventListener('message', (message) => this.#receive(String(message.data)));
    socket.addEventListener('close', () => {
      for (const pending of this.#pending.values()) {
        clearTimeout(pending.timer);
        pending.reject(new Error('the DevTools connection closed'));
      }
      this.#pending.clear();
    });
  }

  static connect(url: string, timeoutMs: number): Promise<Cdp> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url);
      const timer = setTimeout(() => {
        socket.close();
        reject(new Error(`no DevTools connection to ${url} within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.addEventListener(
        'open',
        () => {
          clearTimeout(timer);
          resolve(new Cdp(socket));
        },
        { once: true },
      );
      socket.addEventListener(
        'error',
        () => {
          clearTimeout(timer);
          reject(new Error(`could not connect to DevTools at ${url}`));
        },
        { once: true },
      );
    });
  }

  #receive(text: string): void {
    const message = JSON.parse(text) as { id?: number; result?: Record<string, unknown>; error?: { message: string } } & Partial<CdpEvent>;
    if (message.id === undefined) {
      for (const listener of this.#listeners) listener(message as CdpEvent);
      return;
    }
    const pending = this.#pending.get(message.id);
    if (!pending) return;
    this.#pending.delete(message.id);
    clearTimeout(pending.timer);
    if (message.error) pending.reject(new Error(`DevTools: ${message.error.message}`));
    else pending.resolve(message.result ?? {});
  }

  /** Sends a command (to the page session once attached, unless to the browser) and waits for its result, bounded in time. */
  send(
    method: string,
    params: Record<string, unknown> = {},
    timeoutMs = 10_000,
    to: 'page' | 'browser' = 'page',
  ): Promise<Record<string, unknown>> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`DevTools ${method} got no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, { resolve, reject, timer });
      this.#socket.send(JSON.stringify({ id, method, params, ...(this.sessionId && to === 'page' ? { sessionId: this.sessionId } : {}) }));
    });
  }

  on(listener: (event: CdpEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Resolves on the first event named `method`, bounded in time. */
  once(method: string, timeoutMs: number): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`no ${method} within ${timeoutMs} ms`));
      }, timeoutMs);
      const off = this.on((event) => {
        if (event.method !== method) return;
        clearTimeout(timer);
        off();
        resolve(event.params);
      });
    });
  }

  close(): void {
    this.#socket.close();
  }
}

/** Starts Chromium and resolves with the browser's DevTools WebSocket URL from its stderr. */
function launch(userDataDir: string, timeoutMs: number): { child: ChildProcess; ready: Promise<string> } {
  // detached: Chromium becomes a process-group leader, so its zygote and renderers die with the group.
  const child = spawn(CHROMIUM, [...FLAGS, `--user-data-dir=${userDataDir}`, 'about:blank'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  const ready = new Promise<string>((resolve, reject) => {
    let stderr = '';
    const timer = setTimeout(() => reject(new Error(`Chromium printed no DevTools URL within ${timeoutMs} ms:\n${stderr}`)), timeoutMs);
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      stderr += chunk;
      const match = /DevTools listening on (ws:\/\/\S+)/.exec(stderr);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`Chromium exited (${code ?? signal}) before it listened:\n${stderr}`));
    });
  });
  return { child, ready };
}

function exited(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // No process of the group is left.
  }
}

/**
 * The processes of a process group that are still running (zombies excluded: they are dead, and
 * a container's init may take a moment to reap the children Chromium leaves it). Linux /proc.
 */
export function livingGroupMembers(pgid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => {
      try {
        // Fields after the parenthesised command: state, ppid, pgrp, ...
        const [state, , pgrp] = readFileSync(`/proc/${name}/stat`, 'utf8')
          .replace(/^.*\) /s, '')
          .split(' ');
        return Number(pgrp) === pgid && state !== 'Z' && state !== 'X' ? [Number(name)] : [];
      } catch {
        return [];
      }
    });
}

/** Stops the browser's whole process group: SIGTERM, then SIGKILL until no member runs (bounded). */
async function stopGroup(child: ChildProcess, pid: number): Promise<void> {
  signalGroup(pid, 'SIGTERM');
  if (!(await exited(child, 3000))) signalGroup(pid, 'SIGKILL');
  await exited(child, 3000);
  const deadline = performance.now() + 3000;
  while (livingGroupMembers(pid).length > 0 && performance.now() < deadline) {
    signalGroup(pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 20));
  }
}

function describeConsole(params: Record<string, unknown>): string {
  const args = (params.args as { value?: unknown; description?: string }[] | undefined) ?? [];
  return args.map((a) => (a.value !== undefined ? String(a.value) : (a.description ?? ''))).join(' ');
}

function describeException(params: Record<string, unknown>): string {
  const details = params.exceptionDetails as { text?: string; exception?: { description?: string } } | undefined;
  return details?.exception?.description ?? details?.text ?? 'unknown exception';
}

/** One page in a headless Chromium of its own; dispose it to stop the browser and remove its profile. */
export interface ChromiumPage extends AsyncDisposable {
  /** The browser's process ID (the leader of its process group). */
  readonly pid: number;
  /** The throw-away profile (--user-data-dir), removed on close. */
  readonly profileDir: string;
  readonly log: PageLog;
  /** Loads a URL and waits for its load event. */
  goto(url: string, timeoutMs?: number): Promise<void>;
  /** Evaluates an expression in the page; resolves with its JSON value, rejects with the page's exception. */
  evaluate<T>(expression: string): Promise<T>;
  /** A PNG of the whole page (up to 16,000 px high), or of a region of it in CSS pixels. */
  screenshot(region?: { x: number; y: number; width: number; height: number }): Promise<Buffer>;
  /** Closes the browser, kills what is left of its process group, removes the profile; safe to call twice. */
  close(): Promise<void>;
}

/** Wires the log collectors: console errors, exceptions, requests and failed requests. */
function collect(cdp: Cdp, log: PageLog): void {
  const urls = new Map<string, string>();
  cdp.on(({ method, params }) => {
    if (method === 'Runtime.consoleAPICalled' && (params.type === 'error' || params.type === 'assert'))
      log.consoleErrors.push(describeConsole(params));
    if (method === 'Log.entryAdded') {
      const entry = params.entry as { level: string; text: string; url?: string };
      if (entry.level === 'error') log.consoleErrors.push(`${entry.text}${entry.url ? ` (${entry.url})` : ''}`);
    }
    if (method === 'Runtime.exceptionThrown') log.exceptions.push(describeException(params));
    if (method === 'Network.requestWillBeSent') {
      const url = (params.request as { url: string }).url;
      urls.set(params.requestId as string, url);
      log.requests.push(url);
    }
    if (method === 'Network.loadingFailed') {
      const blocked = params.blockedReason ? ` (blocked: ${String(params.blockedReason)})` : '';
      log.failedRequests.push(`${urls.get(params.requestId as string) ?? '?'}: ${String(params.errorText)}${blocked}`);
    }
  });
}

/**
 * Starts Debian's Chromium headless with a throw-away profile and opens one page over the
 * DevTools protocol. Whatever happens, closing the page kills the browser's process group and
 * removes the profile.
 */
export async function openChromiumPage(options: { width?: number; height?: number; timeoutMs?: number } = {}): Promise<ChromiumPage> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const userDataDir = mkdtempSync(join(tmpdir(), 'helpdesk-chromium-'));
  const { child, ready } = launch(userDataDir, timeoutMs);
  let cdp: Cdp | undefined;
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      await cdp?.send('Browser.close', {}, 1000, 'browser').catch(() => {});
      cdp?.close();
      if (child.pid !== undefined) await stopGroup(child, child.pid);
      rmSync(userDataDir, { recursive: true, force: true, maxRetries: 3, retryDelay: 100 });
    })();
    return closing;
  };
  try {
    cdp = await Cdp.connect(await ready, timeoutMs);
    const { targetId } = await cdp.send('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = await cdp.send('Target.attachToTarget', { targetId, flatten: true });
    cdp.sessionId = sessionId as string;
    const log: PageLog = { consoleErrors: [], exceptions: [], requests: [], failedRequests: [] };
    collect(cdp, log);
    for (const domain of ['Runtime', 'Log', 'Page', 'Network']) await cdp.send(`${domain}.enable`);
    const width = options.width ?? 1280;
    await cdp.send('Emulation.setDeviceMetricsOverride', { width, height: options.height ?? 900, deviceScaleFactor: 1, mobile: false });
    const page = cdp;
    return {
      pid: child.pid as number,
      profileDir: userDataDir,
      log,
      async goto(url, gotoTimeoutMs = timeoutMs) {
        const loaded = page.once('Page.loadEventFired', gotoTimeoutMs);
        loaded.catch(() => {}); // awaited below; this only keeps a failed navigation from leaving it unhandled
        const { errorText } = await page.send('Page.navigate', { url });
        if (errorText) throw new Error(`could not open ${url}: ${String(errorText)}`);
        await loaded;
      },
      async evaluate<T>(expression: string) {
        const answer = await page.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true });
        if (answer.exceptionDetails) throw new Error(`page exception: ${describeException(answer)}`);
        return (answer.result as { value: T }).value;
      },
      async screenshot(region) {
        const { cssContentSize } = await page.send('Page.getLayoutMetrics');
        const size = cssContentSize as { width: number; height: number };
        const clip = { x: 0, y: 0, width: Math.ceil(size.width), height: Math.min(Math.ceil(size.height), 16_000), ...region, scale: 1 };
        const { data } = await page.send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true, clip });
        return Buffer.from(data as string, 'base64');
      },
      close,
      [Symbol.asyncDispose]: close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
