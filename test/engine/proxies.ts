import { request as httpRequest, createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createConnection, createServer as createTcpServer, type Socket } from 'node:net';

// Network faults between the desk and the real server, made with real sockets on 127.0.0.1:
// the operating-system boundary the desk lives behind. Nothing of ours is replaced.

async function listen(server: Server | ReturnType<typeof createTcpServer>): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** A TCP relay that can cut every connection (a partition) and heal again. WebSockets pass too. */
export interface TcpProxy {
  url: string;
  port: number;
  /** Where connections go; set once the server behind is listening. */
  target: number;
  cut(): void;
  heal(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let isCut = false;
  const server = createTcpServer((client) => {
    if (isCut) {
      client.destroy();
      return;
    }
    const upstream = createConnection(proxy.target, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  const port = await listen(server);
  const proxy: TcpProxy = {
    url: `http://127.0.0.1:${port}`,
    port,
    target: 0,
    cut() {
      isCut = true;
      for (const socket of sockets) socket.destroy();
    },
    heal() {
      isCut = false;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return proxy;
}

export interface ProxiedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  status: number | null;
  /** The server's `Retry-After`, when it sent one. */
  retryAfter: string | null;
  /** When the server's answer reached the relay (epoch ms). */
  answeredAt: number | null;
  /** The relay answered itself (an injected fault); the server never saw the request. */
  injected?: boolean;
}

/** The relay's own answer instead of the server's: an injected 429, 503 or redirect. */
export interface InjectedAnswer {
  answer: number;
  headers?: Record<string, string>;
  body?: string;
}

type Verdict = 'pass' | 'hold' | 'drop-response' | InjectedAnswer;

/**
 * An HTTP relay in front of the REST API that can hold a response until released, let the server
 * process a request and then drop its response (the answer lost on the way back), or answer a
 * request itself without forwarding it (429 with `Retry-After`, 503, a redirect). WebSocket
 * upgrades pass through untouched, and `cut()` breaks every connection, upgraded ones included.
 */
export interface HttpProxy {
  url: string;
  /** Where requests go (may be set after start, once the server behind listens). */
  target: string;
  /** Every request relayed so far, with the status the server answered. */
  log: ProxiedRequest[];
  /** Decides per request; default: pass. */
  rule: (request: { method: string; path: string }) => Verdict;
  /** Removes `X-Socket-ID`, so the server's broadcast also reaches the sender's own socket. */
  stripSocketId: boolean;
  /** Responses being held. */
  held(): number;
  releaseAll(): void;
  /** A partition: every open connection (HTTP and WebSocket) is destroyed, new ones are refused until `heal()`. */
  cut(): void;
  heal(): void;
  close(): Promise<void>;
}

function isInjected(verdict: Verdict): verdict is InjectedAnswer {
  return typeof verdict === 'object';
}

export async function startHttpProxy(targetUrl: string): Promise<HttpProxy> {
  const waiting = new Set<() => void>();
  const sockets = new Set<Socket>();
  let isCut = false;
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  };
  const server = createHttpServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const target = new URL(proxy.target);
      const path = incoming.url ?? '/';
      const entry: ProxiedRequest = { method: incoming.method ?? 'GET', path, headers: incoming.headers, status: null, retryAfter: null, answeredAt: null };
      proxy.log.push(entry);
      const verdict = proxy.rule({ method: entry.method, path });
      if (isInjected(verdict)) {
        entry.status = verdict.answer;
        entry.answeredAt = Date.now();
        entry.injected = true;
        entry.retryAfter = verdict.headers?.['Retry-After'] ?? null;
        outgoing.writeHead(verdict.answer, { 'Content-Type': 'application/json', ...verdict.headers });
        outgoing.end(verdict.body ?? '');
        return;
      }
      const headers: Record<string, string | string[] | undefined> = { ...incoming.headers, host: target.host };
      if (proxy.stripSocketId) delete headers['x-socket-id'];
      const upstream = httpRequest({ host: target.hostname, port: target.port, method: incoming.method, path, headers }, async (response) => {
        entry.status = response.statusCode ?? null;
        entry.answeredAt = Date.now();
        const retryAfter = response.headers['retry-after'];
        entry.retryAfter = typeof retryAfter === 'string' ? retryAfter : null;
        const body: Buffer[] = [];
        try {
          for await (const chunk of response) body.push(Buffer.from(chunk));
        } catch {
          incoming.socket.destroy();
          return;
        }
        if (verdict === 'drop-response') {
          incoming.socket.destroy();
          return;
        }
        if (verdict === 'hold') await new Promise<void>((resolve) => waiting.add(resolve));
        if (outgoing.destroyed) return;
        outgoing.writeHead(response.statusCode ?? 502, response.headers);
        outgoing.end(Buffer.concat(body));
      });
      upstream.on('error', () => incoming.socket.destroy());
      upstream.end(Buffer.concat(chunks));
    });
  });
  server.on('connection', (socket) => {
    if (isCut) {
      socket.destroy();
      return;
    }
    track(socket);
  });
  // A WebSocket handshake: replay the request head to the server and splice the two sockets.
  server.on('upgrade', (incoming, client: Socket, head: Buffer) => {
    const target = new URL(proxy.target);
    const upstream = createConnection(Number(target.port), target.hostname);
    track(upstream);
    upstream.on('connect', () => {
      const lines = [`${incoming.method ?? 'GET'} ${incoming.url ?? '/'} HTTP/${incoming.httpVersion}`];
      for (let i = 0; i < incoming.rawHeaders.length; i += 2) lines.push(`${incoming.rawHeaders[i]}: ${incoming.rawHeaders[i + 1]}`);
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length > 0) upstream.write(head);
      client.pipe(upstream).pipe(client);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  const port = await listen(server);
  const proxy: HttpProxy = {
    url: `http://127.0.0.1:${port}`,
    target: targetUrl,
    log: [],
    rule: () => 'pass',
    stripSocketId: false,
    held: () => waiting.size,
    releaseAll() {
      for (const release of waiting) release();
      waiting.clear();
    },
    cut() {
      isCut = true;
      for (const socket of sockets) socket.destroy();
    },
    heal() {
      isCut = false;
    },
    async close() {
      proxy.releaseAll();
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return proxy;
}
