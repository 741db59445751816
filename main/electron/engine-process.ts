// Runs the sync engine in an Electron utilityProcess (the main thread never runs SQL or sync work)
// and restarts it if it dies. Each window and the shell get their own MessagePort to it.
import type { MessagePortMain, UtilityProcess } from 'electron';
import { MessageChannelMain, utilityProcess } from 'electron';
import type { SecretStore } from '../engine';
import type { PortRole } from '../engine/bridge-host';
import { restartDelay } from './engine-process-policy';
import { answerSecret, parseHostToMain, type MainToHost } from './host-channel';


export interface EngineProcessOptions {
  modulePath: string;
  args: string[];
  secrets: SecretStore;
  log(line: string): void;
  /** Called after each (re)start: connect ports again. */
  onStart(): void;
}

export interface EngineProcess {
  /** A new port to the engine, for a page or for the shell. */
  connect(role: PortRole): MessagePortMain;
  stop(): Promise<void>;
}

export function startEngineProcess(options: EngineProcessOptions): EngineProcess {
  let child: UtilityProcess;
  let stopping = false;
  let crashes = 0;
  let ready = false;
  // Ports asked for before the engine said `ready` wait here (a new process cannot take them yet).
  const queued: Array<{ message: MainToHost; transfer: MessagePortMain[] }> = [];

  const post = (message: MainToHost, transfer: MessagePortMain[] = []) => {
    if (ready) child.postMessage(message, transfer);
    else queued.push({ message, transfer });
  };

  const spawn = () => {
    ready = false;
    child = utilityProcess.fork(options.modulePath, options.args, { serviceName: 'Switchboard engine', stdio: 'inherit' });
    const current = child;
    current.on('message', (data: unknown) => {
      const message = parseHostToMain(data);
      if (!message) return;
      switch (message.type) {
        case 'ready':
          crashes = 0;
          ready = true;
          for (const { message: waiting, transfer } of queued.splice(0)) current.postMessage(waiting, transfer);
          options.onStart();
          return;
        case 'secret':
          void answerSecret(options.secrets, message).then((reply) => {
            if (current === child) current.postMessage(reply);
          });
          return;
        case 'fatal':
          options.log(`engine: ${message.message}`);
          return;
        case 'stopped':
          return;
        default: {
          const unreachable: never = message;
          return unreachable;
        }
      }
    });
    current.on('exit', (code) => {
      if (stopping || current !== child) return;
      ready = false;
      const delay = restartDelay(crashes++);
      options.log(`engine exited with code ${code}; restarting in ${delay} ms`);
      setTimeout(spawn, delay);
    });
  };
  spawn();

  return {
    connect(role) {
      const { port1, port2 } = new MessageChannelMain();
      post({ type: 'connect', role }, [port1]);
      return port2;
    },
    stop() {
      stopping = true;
      const current = child;
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          current.kill();
          resolve();
        }, 5000);
        current.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        if (ready) current.postMessage({ type: 'shutdown' } satisfies MainToHost);
        else current.kill();
      });
    },
  };
}
