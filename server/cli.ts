import { parseArgs } from 'node:util';
import { createServer, type SwitchboardServer } from './app';
import { configFromEnv, type ServerConfigInput } from './config';
import { isLoopbackHost, publicDemoRefusal } from './demo/public-demo';

const USAGE = `Usage: npm run server -- [--demo [--allow-public-demo]] [--port 8080] [--host 127.0.0.1] [--data-dir ./data] [--public-url URL]

Demo mode listens on loopback only unless --allow-public-demo: its passwords and secrets are published.

A database without users gets its first admin from SWITCHBOARD_ADMIN_EMAIL + SWITCHBOARD_ADMIN_PASSWORD,
or from \`npm run admin -- user:create --email … --name … --role admin\`.

Environment: PORT, HOST, DATA_DIR, SWITCHBOARD_DEMO=1, SWITCHBOARD_ALLOW_PUBLIC_DEMO=1, SWITCHBOARD_PUBLIC_URL,
REVERB_APP_ID, REVERB_APP_KEY, REVERB_APP_SECRET and the others listed in the README.`;

function main(): Promise<void> | void {
  const { values } = parseArgs({
    options: {
      demo: { type: 'boolean' },
      'allow-public-demo': { type: 'boolean' },
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      'public-url': { type: 'string' },
      'updates-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const env = configFromEnv(process.env);
  const input: ServerConfigInput = {
    ...env,
    demo: values.demo ?? env.demo,
    dataDir: values['data-dir'] ?? env.dataDir,
    publicUrl: values['public-url'] ?? env.publicUrl,
    updatesDir: values['updates-dir'] ?? env.updatesDir,
  };
  const portText = values.port ?? process.env.PORT ?? '8080';
  if (!/^\d+$/.test(portText) || Number(portText) > 65535) {
    console.error(`Invalid port: ${portText}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const host = values.host ?? process.env.HOST ?? '127.0.0.1';
  if (input.demo && !isLoopbackHost(host)) {
    const allowed = values['allow-public-demo'] ?? ['1', 'true'].includes(process.env.SWITCHBOARD_ALLOW_PUBLIC_DEMO ?? '');
    if (!allowed) {
      console.error(publicDemoRefusal(host));
      process.exitCode = 2;
      return;
    }
    console.warn(`warning: demo mode on ${host}, with the published demo passwords and secrets (--allow-public-demo)`);
  }
  return run(input, Number(portText), host);
}

async function run(input: ServerConfigInput, port: number, host: string): Promise<void> {
  // Signals are handled from the first moment: a stop asked for while the server is still starting
  // waits for it to be up, then shuts it down cleanly (exit 0) instead of killing it half-open.
  const started: { server?: SwitchboardServer } = {};
  let stopRequested: string | undefined;
  let stopping = false;
  const stop = (signal: string) => {
    stopRequested ??= signal;
    const { server } = started;
    if (stopping || !server) return;
    stopping = true;
    console.log(`${signal}: shutting down (requests under way get up to ${server.config.shutdownGraceSeconds} s)`);
    server.shutdown().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  const server = await createServer(input);
  started.server = server;
  const { url } = await server.listen(port, host);
  console.log(`listening on ${url}`);
  if (!server.config.publicUrl && !['127.0.0.1', 'localhost', '::1'].includes(host)) {
    // Attachment URLs and pagination links are absolute; without a public URL they name the loopback address.
    console.warn('warning: set SWITCHBOARD_PUBLIC_URL (or --public-url) so desks on other machines get reachable links');
  }
  if (server.config.demo) console.log('demo data: admin@example.com / password, mod@example.com / password');
  if (stopRequested) stop(stopRequested);
}

const started = main();
if (started) {
  started.catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
