import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(import.meta.url), '..', '..', '..');

export interface ScriptRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a TypeScript entry point (`scripts/admin.ts`, `server/cli.ts`) as `npm run …` would, in a child
 * process, with `stdin` piped in. The environment is the test's minus the server's own variables,
 * so only what the test passes counts. `stopAfter`: SIGTERM once stdout matches.
 */
export function runScript(entry: string, args: string[], options: { stdin?: string; env?: Record<string, string>; stopAfter?: RegExp } = {}): Promise<ScriptRun> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(SWITCHBOARD_|REVERB_|HOST$|PORT$|DATA_DIR$)/.test(key)));
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], { cwd: ROOT, env: { ...base, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (options.stopAfter?.test(stdout)) child.kill('SIGTERM');
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(options.stdin ?? '');
  return new Promise((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}
