import { input } from '@inquirer/prompts';
import type { Ui } from './ui.ts';

/** The interactive terminal: an inquirer prompt with history-friendly single-line input. */
export class TerminalUi implements Ui {
  async ask(message: string): Promise<string | null> {
    try {
      return await input({ message, theme: { prefix: '' } });
    } catch (error) {
      // Ctrl+C or Ctrl+D at the prompt: the person wants to leave.
      if (error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError')) return null;
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
