// The soak's two real processes: the server (server/cli.ts) and the desk engine
// (scripts/soak/desk-process.ts). Each is started with node itself, not through npx, so a SIGKILL
// kills the process that holds the port and the database, and restarted on the same port and data.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { BridgeClient } from '../../common/bridge';
import { createPortBridgeClient } from '../../common/bridge-port-client';
import type { PortEndpoint } from '../../common/bridge-port';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SERVER_CLI = fileURLToPath(new URL('../../server/cli.ts', import.meta.url));
const DESK_PROCESS = fileURLToPath(new URL('./desk-process.ts', import.meta.url));
const START_TIMEOUT_MS = 60_000;

/** The last lines a process wrote to stderr, for the report when something goes wrong. */
class Tail {
  private readonly lines: string[] = [];
  constructor(private readonly size: number) {}
  push(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.size) this.lines.shift();
  }
  text(): string {
    return this.lines.join('\n');
  }
}

function follow(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
  if (stream) createInterface({ input: stream }).on('line', onLine);
}

/** Starts and kills of one process run one after another (two faults may hit the same process at once). */
function serialised(): <T>(work: () => Promise<T>) => Promise<T> {
  let last: Promise<unknown> = Promise.resolve();
  return (work) => {
    const next = last.then(work, work);
    last = next.catch(() => undefined);
    return next;
  };
}

async function killed(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exit = once(child, 'exit');
  child.kill('SIGKILL');
  await exit;
}

export interface ServerChild {
  url: string;
  /** Lines on stderr that look like server errors (logged 5xx, unhandled failures), over every run. */
  errors: string[];
  start(): Promise<void>;
  kill(): Promise<void>;
  running(): boolean;
  stderr(): string;
}

/** `npx tsx server/cli.ts --demo --port P --data-dir D --public-url U`, without npx in between. */
export function serverChild(options: { port: number; dataDir: string; publicUrl: string; env: Record<string, string> }): ServerChild {
  let child: ChildProcess | null = null;
  const tail = new Tail(80);
  const serial = serialised();
  const server: ServerChild = {
    url: `http://127.0.0.1:${options.port}`,
    errors: [],
    start: () => serial(async () => {
      if (server.running()) return;
      const args = ['--import', 'tsx', SERVER_CLI, '--demo', '--port', String(options.port), '--data-dir', options.dataDir, '--public-url', options.publicUrl];
      const started = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
      child = started;
      follow(started.stderr, (line) => {
        tail.push(line);
        if (/error|exception|unhandled/i.test(line)) server.errors.push(line);
      });
      const listening = new Promise<void>((resolve, reject) => {
        follow(started.stdout, (line) => {
          if (line.startsWith('listening on ')) resolve();
        });
        started.once('exit', (code, signal) => reject(new Error(`the server exited while starting (${signal ?? code}):\n${tail.text()}`)));
        setTimeout(() => reject(new Error(`the server did not listen within ${START_TIMEOUT_MS / 1000} s:\n${tail.text()}`)), START_TIMEOUT_MS).unref();
      });
      await listening;
    }),
    kill: () => serial(async () => {
      if (child) await killed(child);
      child = null;
    }),
    running: () => child !== null && child.exitCode === null && child.signalCode === null,
    stderr: () => tail.text(),
  };
  return server;
}

export interface DeskChild {
  /** The bridge to whichever engine process runs now; requests wait while none does. */
  client: BridgeClient;
  /** Whether the engine has finished what it started by itself and caught up with `since` (Engine.quiet); false while it is down. */
  quiet(since: number): Promise<boolean>;
  start(): Promise<void>;
  kill(): Promise<void>;
  running(): boolean;
  stderr(): string;
}

/** The engine in a child process, spoken to through the bridge contract over the IPC channel. */
export function deskChild(dataDir: string): DeskChild {
  let child: ChildProcess | null = null;
  const tail = new Tail(80);
  const bridge = createPortBridgeClient((message, error) => tail.push(`${message}: ${String(error)}`));
  const serial = serialised();
  let question = 0;
  const desk: DeskChild = {
    client: bridge.client,
    quiet(since) {
      const current = child;
      if (!current?.connected) return Promise.resolve(false);
      const id = ++question;
      return new Promise<boolean>((resolve) => {
        const onMessage = (data: unknown) => {
          if (typeof data !== 'object' || data === null || !('soakQuietReply' in data) || data.soakQuietReply !== id) return;
          done('quiet' in data && data.quiet === true);
        };
        const done = (quiet: boolean) => {
          current.off('message', onMessage);
          current.off('exit', onExit);
          resolve(quiet);
        };
        const onExit = () => done(false);
        current.on('message', onMessage);
        current.once('exit', onExit);
        current.send({ soakQuiet: id, since }, (error) => error && done(false));
      });
    },
    start: () => serial(async () => {
      if (desk.running()) return;
      const started = fork(DESK_PROCESS, [dataDir], { cwd: ROOT, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
      child = started;
      follow(started.stderr, (line) => tail.push(line));
      started.on('error', () => undefined);
      const port: PortEndpoint = {
        post: (message) => {
          if (started.connected) started.send(message, (error) => error && undefined);
        },
        onMessage: (listener) => started.on('message', listener),
        onClose: (listener) => started.once('exit', listener),
        close: () => {
          if (started.connected) started.disconnect();
        },
      };
      bridge.attach(port);
      // Answered once the engine has restored its remembered session (handlers wait for that).
      const exited = once(started, 'exit').then(() => {
        throw new Error(`the desk engine exited while starting:\n${tail.text()}`);
      });
      await Promise.race([bridge.client.invoke('session.get', {}), exited]);
    }),
    kill: () => serial(async () => {
      if (child) await killed(child);
      child = null;
    }),
    running: () => child !== null && child.exitCode === null && child.signalCode === null,
    stderr: () => tail.text(),
  };
  return desk;
}
