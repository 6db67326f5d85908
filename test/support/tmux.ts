import { execFile, execFileSync } from 'node:child_process';
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

/**
 * A program running in a real pseudo-terminal, driven as a person would: keys in, screen out.
 * Each session has its own tmux server (a private socket), so sessions never see each other
 * and `kill()` leaves nothing behind. The pane stays after the program exits, so its last
 * screen and exit status can still be read. Every call is asynchronous: a test's in-process
 * HTTP fake must keep serving while the test waits for the screen.
 */
export class TmuxSession {
  readonly name: string;
  readonly #socket: string;

  private constructor(name: string) {
    this.name = name;
    this.#socket = `helpdesk-test-${name}`;
  }

  /** Starts `command` detached in a new terminal of the given size (default 200×50). */
  static async start(options: TmuxOptions): Promise<TmuxSession> {
    sessions += 1;
    const session = new TmuxSession(`${process.pid}-${sessions}-${Date.now().toString(36)}`);
    const env = { ...options.env };
    // tmux sets TERM in the pane from default-terminal, so that is where the wanted TERM goes.
    const term = env.TERM ?? 'xterm-256color';
    const vars = Object.entries(env).flatMap(([key, value]) => ['-e', `${key}=${value}`]);
    await run('tmux', [
      '-L', session.#socket, '-f', '/dev/null', 'start-server', ';',
      'set-option', '-g', 'remain-on-exit', 'on', ';',
      'set-option', '-g', 'default-terminal', term, ';',
      'set-option', '-g', 'history-limit', '10000', ';',
      'new-session', '-d', '-s', session.name, '-x', String(options.width ?? 200), '-y', String(options.height ?? 50),
      '-c', options.cwd, ...vars, '--', options.command, ...(options.args ?? []),
    ], { env, cwd: options.cwd });
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

  /** The whole terminal (scrollback included), wrapped lines joined, trailing blank lines removed. */
  async screen(): Promise<string> {
    const text = await this.#tmux('capture-pane', '-p', '-J', '-S', '-', '-t', this.name);
    return text.split('\n').map((line) => line.trimEnd()).join('\n').trimEnd();
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

  /** Process id of the program in the pane. */
  async pid(): Promise<number> {
    return Number((await this.#tmux('display-message', '-p', '-t', this.name, '#{pane_pid}')).trim());
  }

  /** Waits for the program to end and returns its exit status (undefined when a signal ended it). */
  async exited(timeoutMs = 5_000): Promise<number | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [dead = '', status = '', signal = ''] = (await this.#tmux(
        'display-message', '-p', '-t', this.name, '#{pane_dead} #{pane_dead_status} #{pane_dead_signal}',
      )).trim().split(' ');
      if (dead === '1' && (status !== '' || signal !== '')) return status === '' ? undefined : Number(status);
      if (Date.now() > deadline) {
        throw new Error(`the program did not end within ${timeoutMs} ms; the screen:\n${await this.screen()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Ends the session and its tmux server (which hangs up the program). Safe to call twice. */
  async kill(): Promise<void> {
    await this.#tmux('kill-server').catch(() => undefined);
  }
}
