import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Whether a `tmux` binary is on PATH; terminal tests skip themselves without it. */
export const hasTmux: boolean = (() => {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** What to run in the terminal, and where. */
export interface TmuxOptions {
  readonly command: string;
  readonly args?: readonly string[];
  /** The whole environment of the program; nothing of the test process leaks in. TERM sets the terminal type. */
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  readonly width?: number;
  readonly height?: number;
}

let sessions = 0;

// The program runs under a small shell that writes its exit status to a file ($0), because
// tmux 3.3 sometimes marks a pane dead without ever filling in #{pane_dead_status}. The shell
// survives a Ctrl+C (`trap :`) while the program gets the default signal handling back.
const WRAPPER = 'trap : INT; "$@"; echo $? > "$0"';

/**
 * A program running in a real pseudo-terminal, driven as a person would: keys in, screen out.
 * Each session has its own tmux server (a private socket), so sessions never see each other
 * and `kill()` leaves nothing behind. The pane stays after the program exits, so its last
 * screen can still be read. Every call is asynchronous: a test's in-process HTTP fake must
 * keep serving while the test waits for the screen.
 */
export class TmuxSession {
  readonly name: string;
  readonly #socket: string;
  readonly #dir: string;
  #socketPath: string | undefined;

  private constructor(name: string) {
    this.name = name;
    this.#socket = `helpdesk-test-${name}`;
    this.#dir = mkdtempSync(join(tmpdir(), 'helpdesk-tmux-'));
  }

  get #statusFile(): string {
    return join(this.#dir, 'exit-status');
  }

  /** Starts `command` detached in a new terminal of the given size (default 200×50). */
  static async start(options: TmuxOptions): Promise<TmuxSession> {
    sessions += 1;
    const session = new TmuxSession(`${process.pid}-${sessions}-${Date.now().toString(36)}`);
    const env = { ...options.env };
    // tmux sets TERM in the pane from default-terminal, so that is where the wanted TERM goes.
    const term = env.TERM ?? 'xterm-256color';
    const vars = Object.entries(env).flatMap(([key, value]) => ['-e', `${key}=${value}`]);
    await run(
      'tmux',
      [
        '-L',
        session.#socket,
        '-f',
        '/dev/null',
        'start-server',
        ';',
        'set-option',
        '-g',
        'remain-on-exit',
        'on',
        ';',
        'set-option',
        '-g',
        'default-terminal',
        term,
        ';',
        'set-option',
        '-g',
        'history-limit',
        '10000',
        ';',
        'new-session',
        '-d',
        '-s',
        session.name,
        '-x',
        String(options.width ?? 200),
        '-y',
        String(options.height ?? 50),
        '-c',
        options.cwd,
        ...vars,
        '--',
        '/bin/sh',
        '-c',
        WRAPPER,
        session.#statusFile,
        options.command,
        ...(options.args ?? []),
      ],
      { env, cwd: options.cwd },
    ).catch(async (error: unknown) => {
      await session.kill();
      throw error;
    });
    session.#socketPath = (await session.#tmux('display-message', '-p', '#{socket_path}')).trim();
    return session;
  }

  async #tmux(...args: string[]): Promise<string> {
    const { stdout } = await run('tmux', ['-L', this.#socket, ...args]);
    return stdout;
  }

  /** Types `text` literally, then presses Enter. */
  async type(text: string): Promise<void> {
    await this.#tmux('send-keys', '-t', this.name, '-l', text);
    await this.press('Enter');
  }

  /** Presses one key in tmux notation: `Enter`, `C-c`, `C-d`, `Up`… */
  async press(key: string): Promise<void> {
    await this.#tmux('send-keys', '-t', this.name, key);
  }

  /**
   * The whole terminal (scrollback included), wrapped lines joined, trailing blank lines
   * removed, and without the "Pane is dead" line tmux adds once the program has ended.
   */
  async screen(): Promise<string> {
    const text = await this.#tmux('capture-pane', '-p', '-J', '-S', '-', '-t', this.name);
    return text
      .split('\n')
      .map((line) => line.trimEnd())
      .filter((line) => !/^Pane is dead \(/.test(line))
      .join('\n')
      .trimEnd();
  }

  /**
   * Polls the screen until `pattern` matches and returns the screen; on timeout throws an
   * error that shows what the screen held, so a failure says what the person would have seen.
   */
  async waitFor(pattern: RegExp, timeoutMs = 5_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let screen = '';
    for (;;) {
      screen = await this.screen();
      if (pattern.test(screen)) return screen;
      if (Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${pattern} on the screen:\n${screen}`);
  }

  /** Process id of the program (the child of the wrapping shell in the pane). */
  async pid(timeoutMs = 2_000): Promise<number> {
    const shell = (await this.#tmux('display-message', '-p', '-t', this.name, '#{pane_pid}')).trim();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { stdout } = await run('ps', ['-o', 'pid=', '--ppid', shell]).catch(() => ({ stdout: '' }));
      const pid = Number.parseInt(stdout, 10);
      if (Number.isInteger(pid)) return pid;
      if (Date.now() > deadline) throw new Error(`no program is running under the shell ${shell} of tmux session ${this.name}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Waits for the program to end and returns its exit status (128 + n when signal n ended it). */
  async exited(timeoutMs = 5_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      let text = '';
      try {
        text = readFileSync(this.#statusFile, 'utf8');
      } catch {
        /* not ended yet */
      }
      if (text.endsWith('\n')) return Number(text.trim());
      if (Date.now() > deadline) {
        throw new Error(`the program did not end within ${timeoutMs} ms; the screen:\n${await this.screen()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Ends the session and its tmux server (which hangs up the program). Safe to call twice. */
  async kill(): Promise<void> {
    await this.#tmux('kill-server').catch(() => undefined);
    // tmux leaves its socket file behind; one per test run would pile up in /tmp.
    if (this.#socketPath) rmSync(this.#socketPath, { force: true });
    rmSync(this.#dir, { recursive: true, force: true });
  }
}
