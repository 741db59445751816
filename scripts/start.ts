// `npm start`: the desk for a newcomer. Without a server URL (--server or SWITCHBOARD_SERVER) it
// first starts a local demo server (data in ./data/demo-server). Then it opens the Electron desk
// where Electron can run (its binary is installed and there is a display), and otherwise says why
// and serves the web desk (main/web/cli.ts, as `npm run web`) instead.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createServer, type SwitchboardServer } from '../server/app';
import { DEMO_WIDGET_TOKEN } from '../server/demo/seed';
import { buildElectronDesk, ROOT } from './build-electron';
import { startDemoShop, type DemoShop } from './demo-shop';
import { electronStatus, startArgs, type ElectronStatus } from './desk-launch';

const require = createRequire(import.meta.url);

async function startDemoServer(): Promise<{ server: SwitchboardServer; url: string }> {
  const server = await createServer({ demo: true, dataDir: join(ROOT, 'data', 'demo-server') });
  const port = Number(process.env.PORT ?? 8080);
  try {
    return { server, url: (await server.listen(port, '127.0.0.1')).url };
  } catch (error) {
    if (!(error instanceof Error && 'code' in error && error.code === 'EADDRINUSE')) throw error;
    console.log(`port ${port} is taken; the demo server takes a free one`);
    return { server, url: (await server.listen(0, '127.0.0.1')).url };
  }
}

async function main(): Promise<void> {
  const args = startArgs(process.argv.slice(2), process.env);
  let demo: SwitchboardServer | null = null;
  let shop: DemoShop | null = null;
  let serverUrl = args.server;
  if (!serverUrl) {
    const started = await startDemoServer();
    demo = started.server;
    serverUrl = started.url;
    console.log(`demo server on ${serverUrl} — sign in as mod@example.com / password (or admin@example.com / password)`);
    console.log(`to see chats arrive: npm run simulate -- --url ${serverUrl}`);
    // A customer's side: a shop page of another origin with the demo widget on it.
    const shopOptions = { serverUrl: started.url, widgetToken: DEMO_WIDGET_TOKEN };
    // Port 8070 (SHOP_PORT) when free, else any.
    shop = await startDemoShop({ ...shopOptions, port: Number(process.env.SHOP_PORT ?? 8070) }).catch(() => startDemoShop(shopOptions));
    console.log(`demo shop with the website widget on ${shop.url} — be the customer there, the operator in the desk`);
  }

  let child: ChildProcess | null = null;
  const stop = (code: number) => {
    child?.kill('SIGTERM');
    void Promise.all([shop?.close(), demo?.close()]).finally(() => process.exit(code));
  };
  process.on('SIGINT', () => stop(0));
  process.on('SIGTERM', () => stop(0));

  const electron: ElectronStatus = args.web
    ? { usable: false, reason: '--web asks for the web desk' }
    : electronStatus({ platform: process.platform, env: process.env, resolveBinary: () => String(require('electron')), exists: existsSync });

  if (electron.usable) {
    console.log('building the Electron desk…');
    await buildElectronDesk();
    child = spawn(electron.binary, [join(ROOT, 'out', 'desk', 'main.cjs')], { stdio: 'inherit', env: { ...process.env, SWITCHBOARD_SERVER: serverUrl } });
    child.on('exit', (code) => stop(code ?? 0));
    return;
  }

  console.log(`Not opening the Electron desk: ${electron.reason}.`);
  if (!existsSync(join(ROOT, 'main', 'web', 'cli.ts'))) {
    console.log(`The web desk is not built yet (main/web). The server keeps running at ${serverUrl}; Ctrl+C stops it.`);
    return;
  }
  console.log('Serving the web desk instead (open the address it prints in a browser).');
  // PORT is the demo server's; the web desk keeps its own default (8090) instead of colliding with it.
  const { PORT: _serverPort, ...webEnv } = process.env;
  // The web desk is our own child, not npm's: a SIGTERM to `npm start` then reaches it (through npm it
  // was a grandchild, and stayed running).
  child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'main', 'web', 'cli.ts'), '--server', serverUrl], { stdio: 'inherit', cwd: ROOT, env: webEnv });
  child.on('exit', (code) => stop(code ?? 0));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
