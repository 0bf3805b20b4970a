import { createInterface } from 'node:readline/promises';

export type Answer = 'yes' | 'skip' | 'abort';

/**
 * Asks yes / skip / abort on the terminal until it gets one of them. Ctrl-C or end of input at the prompt
 * means abort: nothing of this step has started, so stopping here leaves every step done or not done.
 */
export async function askStep(question: string): Promise<Answer> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const aborted = new Promise<Answer>((resolve) => {
    rl.on('SIGINT', () => resolve('abort'));
    rl.on('close', () => resolve('abort'));
  });
  try {
    for (;;) {
      const answer = await Promise.race([rl.question(`${question} [y]es / [s]kip / [a]bort: `), aborted]);
      const a = answer.trim().toLowerCase();
      if (a === 'abort' || a === 'a') return 'abort';
      if (a === 'y' || a === 'yes') return 'yes';
      if (a === 's' || a === 'skip') return 'skip';
      process.stderr.write('Please answer y (yes), s (skip) or a (abort).\n');
    }
  } finally {
    rl.close();
  }
}
