import { createServer, request, type Server } from 'node:http';
import { connect } from 'node:net';
import type { Socket } from 'node:net';

/**
 * A reverse proxy that serves a server under a path prefix (`/switchboard/...` → `/...`), for HTTP
 * and WebSocket upgrades alike, as nginx with `location /switchboard/ { proxy_pass http://up/; }` does.
 * Requests outside the prefix get a 404 from the proxy itself, so a client that forgets the prefix fails.
 */
export interface PrefixProxy {
  port: number;
  /** Where requests go from now on (the upstream may start after the proxy, to learn the proxy's URL). */
  target(port: number): void;
  close(): Promise<void>;
}

export async function startPrefixProxy(prefix: string): Promise<PrefixProxy> {
  let upstream = 0;
  const strip = (url: string | undefined): string | null => (url?.startsWith(`${prefix}/`) ? url.slice(prefix.length) : null);
  const server: Server = createServer((req, res) => {
    const path = strip(req.url);
    if (path === null || upstream === 0) {
      res.writeHead(404).end('not under the prefix');
      return;
    }
    const forwarded = request({ host: '127.0.0.1', port: upstream, method: req.method, path, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forwarded.on('error', () => res.writeHead(502).end());
    req.pipe(forwarded);
  });
  const tunnels = new Set<Socket>();
  server.on('upgrade', (req, socket, head) => {
    const path = strip(req.url);
    if (path === null || upstream === 0) {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    const upstreamSocket = connect(upstream, '127.0.0.1', () => {
      tunnels.add(upstreamSocket);
      const headers = Object.entries(req.headers).flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).map((v) => `${name}: ${v}\r\n`));
      upstreamSocket.write(`${req.method} ${path} HTTP/1.1\r\n${headers.join('')}\r\n`);
      upstreamSocket.write(head);
      upstreamSocket.pipe(socket);
      socket.pipe(upstreamSocket);
    });
    const end = (): void => {
      tunnels.delete(upstreamSocket);
      socket.destroy();
      upstreamSocket.destroy();
    };
    for (const side of [upstreamSocket, socket]) side.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the proxy has no TCP address');
  return {
    port: address.port,
    target: (port) => {
      upstream = port;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const tunnel of tunnels) tunnel.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
