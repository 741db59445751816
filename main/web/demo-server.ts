// Without --server the web desk brings its own chat server with demo data, so `npm run web` alone
// shows a working desk. A development convenience: a real deployment points at a real server.
import { join } from 'node:path';
import { createServer, type SwitchboardServer } from '../../server/app';

export interface DemoServer {
  url: string;
  server: SwitchboardServer;
}

export async function startDemoServer(dataDir: string): Promise<DemoServer> {
  const server = await createServer({ demo: true, dataDir: join(dataDir, 'demo-server') });
  const { url } = await server.listen(0, '127.0.0.1');
  return { url, server };
}
