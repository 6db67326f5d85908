import { confirm, input, select } from '@inquirer/prompts';
import { QuestionsClosed, type Choice, type Questions, type Ui } from './ui.ts';

/** Ctrl+C or Ctrl+D at an inquirer prompt: the person wants to leave. */
function leftThePrompt(error: unknown): boolean {
  return error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError');
}

/** The interactive terminal: an inquirer prompt with history-friendly single-line input. */
export class TerminalUi implements Ui {
  async ask(message: string): Promise<string | null> {
    try {
      return await input({ message, theme: { prefix: '' } });
    } catch (error) {
      if (leftThePrompt(error)) return null;
      throw error;
    }
  }

  print(text: string): void {
    process.stdout.write(`${text}\n`);
  }

  error(text: string): void {
    process.stderr.write(`${text}\n`);
  }
}

/** init's questions in the terminal, through inquirer; leaving a prompt throws QuestionsClosed. */
export class TerminalQuestions implements Questions {
  async #asked<T>(prompt: () => Promise<T>): Promise<T> {
    try {
      return await prompt();
    } catch (error) {
      if (leftThePrompt(error)) throw new QuestionsClosed();
      throw error;
    }
  }

  text(
    message: string,
    options: { readonly default?: string; readonly validate?: (value: string) => string | true } = {},
  ): Promise<string> {
    return this.#asked(() =>
      input({
        message,
        ...(options.default !== undefined ? { default: options.default } : {}),
        ...(options.validate ? { validate: options.validate } : {}),
      }),
    );
  }

  choose<T>(message: string, choices: readonly Choice<T>[], defaultValue?: T): Promise<T> {
    return this.#asked(() =>
      select<T>({ message, choices: [...choices], ...(defaultValue !== undefined ? { default: defaultValue } : {}), pageSize: 12 }),
    );
  }

  confirm(message: string, defaultValue: boolean): Promise<boolean> {
    return this.#asked(() => confirm({ message, default: defaultValue }));
  }
}
