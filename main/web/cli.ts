// `npm run web -- [--port 8090] [--host 127.0.0.1] [--server URL] [--data-dir DIR]`
// (also PORT, HOST, SWITCHBOARD_SERVER, DESK_DATA_DIR): the desk in a browser.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { consoleEngineLogger } from '../engine';
import { ensureRendererBuilt } from './build-renderer';
import { startDemoServer, type DemoServer } from './demo-server';
import { startWebDesk } from './desk';

const USAGE = `Usage: npm run web -- [--port 8090] [--host 127.0.0.1] [--server http://127.0.0.1:8080] [--data-dir ./data/desk]

Environment: PORT, HOST, SWITCHBOARD_SERVER, DESK_DATA_DIR.
Without --server, a local demo server is started and pre-filled on the login screen.`;

function parsePort(text: string): number | null {
  return /^\d{1,5}$/.test(text) && Number(text) <= 65535 ? Number(text) : null;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      server: { type: 'string' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = parsePort(values.port ?? process.env.PORT ?? '8090');
  if (port === null) {
    console.error(`Invalid port: ${values.port ?? process.env.PORT}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const host = values.host ?? process.env.HOST ?? '127.0.0.1';
  const dataDir = resolve(values['data-dir'] ?? process.env.DESK_DATA_DIR ?? './data/desk');
  let serverUrl = (values.server ?? process.env.SWITCHBOARD_SERVER ?? '').trim() || null;

  await ensureRendererBuilt((message) => console.log(message));

  let demo: DemoServer | null = null;
  if (!serverUrl) {
    demo = await startDemoServer(dataDir);
    serverUrl = demo.url;
    console.log(`demo server on ${serverUrl} — sign in as mod@example.com / password (or admin@example.com / password)`);
  }

  const desk = await startWebDesk({ dataDir, port, host, defaultServerUrl: serverUrl, demo: demo !== null, engine: { logger: consoleEngineLogger() } });
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '::1') {
    console.warn(`warning: the desk listens on ${host}; anyone who reaches it acts as the signed-in operator`);
  }
  console.log(`desk on ${desk.url}`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: shutting down`);
    Promise.all([desk.close(), demo?.server.close()]).then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
