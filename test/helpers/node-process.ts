// A server node in a child process (`npm run server`'s CLI), for the multi-node suites that must kill
// one the hard way (SIGKILL: no shutdown, no goodbye to Redis).
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requestAt, type ApiResponse, type RequestOptions } from './server';

const ROOT = resolve(fileURLToPath(import.meta.url), '..', '..', '..');
const START_TIMEOUT_MS = 60_000;

export interface NodeProcess {
  url: string;
  request<T = unknown>(method: string, path: string, options?: RequestOptions): Promise<ApiResponse<T>>;
  /** Still running (not exited, not killed). */
  readonly alive: boolean;
  /** What it wrote to stderr so far, for failure messages. */
  readonly stderr: string;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** Starts `server/cli.ts` on 127.0.0.1 and a free port with `env` added to ours; resolves once it listens. */
export async function spawnNode(env: Record<string, string>): Promise<NodeProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts', '--port', '0', '--host', '127.0.0.1'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let exited = false;
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exit = new Promise<void>((resolvePromise) =>
    child.once('exit', () => {
      exited = true;
      resolvePromise();
    }),
  );
  const url = await new Promise<string>((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`the node did not start in time: ${stderr}`)), START_TIMEOUT_MS);
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const match = /listening on (http:\/\/\S+)/.exec(stdout);
      if (match?.[1]) {
        clearTimeout(timer);
        resolvePromise(match[1]);
      }
    });
    void exit.then(() => {
      clearTimeout(timer);
      reject(new Error(`the node exited while starting: ${stderr}`));
    });
  });
  return {
    url,
    request: (method, path, options) => requestAt(url, method, path, options),
    get alive() {
      return !exited;
    },
    get stderr() {
      return stderr;
    },
    async kill(signal) {
      if (exited) return;
      child.kill(signal);
      await exit;
    },
  };
}
