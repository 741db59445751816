import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';

// Passwords come from stdin, never from an argument: arguments land in shell history and in `ps`.

/** All of piped stdin, without the line ending a shell `echo` or here-string adds. */
async function readPiped(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text.replace(/\r?\n$/, '');
}

/** One line typed at the terminal with nothing echoed. */
function promptHidden(question: string): Promise<string> {
  // readline puts the terminal in raw mode (no echo by the terminal) and echoes what is typed to
  // its output, which swallows everything. The question goes out only then, so nothing typed after
  // seeing it is echoed.
  const muted = new Writable({ write: (_chunk, _encoding, done) => done() });
  const rl = createInterface({ input: process.stdin, output: muted, terminal: true });
  process.stderr.write(question);
  return new Promise((resolvePromise, reject) => {
    rl.once('line', (answer) => {
      process.stderr.write('\n');
      rl.close();
      resolvePromise(answer);
    });
    rl.once('SIGINT', () => {
      rl.close();
      reject(new Error('cancelled'));
    });
  });
}

/** The new password: piped stdin, else typed twice at a hidden prompt. */
export async function readNewPassword(): Promise<string> {
  if (!process.stdin.isTTY) return readPiped();
  const first = await promptHidden('New password: ');
  const second = await promptHidden('Repeat it: ');
  if (first !== second) throw new Error('the two passwords differ');
  return first;
}
