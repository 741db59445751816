// The web desk's own HTTP and WebSocket surface: it acts as the signed-in operator, so only its
// own page may drive it.
import { request as httpRequest } from 'node:http';
import { WebSocket } from 'ws';
import { expect, test } from './fixtures';

/** A GET with the path sent exactly as written (no client-side normalisation of `..`). */
function get(url: string, headers: Record<string, string> = {}, rawPath?: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const { hostname, port, pathname } = new URL(url);
  return new Promise((resolve, reject) => {
    const request = httpRequest({ hostname, port, path: rawPath ?? pathname, headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

function upgrade(url: string, origin: string | undefined): Promise<'open' | number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, origin ? { origin } : {});
    socket.on('open', () => {
      socket.close();
      resolve('open');
    });
    socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    socket.on('error', () => resolve(0));
  });
}

test('the page is served with a strict CSP and the server URL to pre-fill', async ({ stack }) => {
  const page = await get(`${stack.desk.url}/`);
  expect(page.status).toBe(200);
  const csp = String(page.headers['content-security-policy']);
  expect(csp).toContain("default-src 'none'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toContain('unsafe-inline');
  expect(page.headers['x-content-type-options']).toBe('nosniff');
  expect(page.body).toContain(`<meta name="switchboard-server" content="${stack.server.url}">`);
  // No inline script: every <script> loads a file of the build.
  expect(page.body).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
});

test('paths outside the built UI and foreign Host names are refused', async ({ stack }) => {
  for (const path of ['/../package.json', '/../../package.json', '/%2e%2e/package.json', '/assets/..%2f..%2fpackage.json', '/..\\package.json']) {
    const answer = await get(stack.desk.url, {}, path);
    expect(answer.body, path).not.toContain('"name": "switchboard"');
  }
  expect((await get(`${stack.desk.url}/assets/nothing-here.js`)).status).toBe(404);
  // DNS rebinding: a hostile name pointed at 127.0.0.1 does not get the desk.
  expect((await get(`${stack.desk.url}/`, { Host: `evil.example:${stack.desk.port}` })).status).toBe(421);
});

test('only the desk’s own page may open the bridge', async ({ stack }) => {
  const bridge = stack.desk.url.replace('http', 'ws') + '/bridge';
  expect(await upgrade(bridge, stack.desk.url)).toBe('open');
  expect(await upgrade(bridge, 'https://evil.example')).toBe(403);
  expect(await upgrade(bridge, undefined)).toBe(403);
  expect(await upgrade(stack.desk.url.replace('http', 'ws') + '/other', stack.desk.url)).toBe(403);
});

test('the bridge answers requests with the contract’s framing and refuses malformed ones', async ({ stack }) => {
  const socket = new WebSocket(stack.desk.url.replace('http', 'ws') + '/bridge', { origin: stack.desk.url });
  const replies: unknown[] = [];
  socket.on('message', (data) => replies.push(JSON.parse(String(data))));
  await new Promise((resolve) => socket.on('open', resolve));
  socket.send(JSON.stringify({ type: 'request', id: 1, name: 'session.get', args: {} }));
  socket.send(JSON.stringify({ type: 'request', id: 2, name: 'no.such.request', args: {} }));
  socket.send('not json at all');
  socket.send(JSON.stringify({ type: 'request', id: 3, name: 'chats.list', args: { tab: 'my' } }));
  await expect.poll(() => replies.filter((reply) => typeof reply === 'object' && reply !== null && 'id' in reply).length).toBe(3);
  const byId = (id: number) => replies.find((reply) => typeof reply === 'object' && reply !== null && 'id' in reply && reply.id === id);
  expect(byId(1)).toEqual({ type: 'reply', id: 1, ok: true, result: { session: null } });
  expect(byId(2)).toMatchObject({ type: 'reply', id: 2, ok: false, error: { code: 'validation' } });
  expect(byId(3)).toMatchObject({ type: 'reply', id: 3, ok: false, error: { code: 'not_signed_in' } });
  socket.close();
});

test('a page that goes away gives back its open chat and its focus', async ({ stack }) => {
  const url = stack.desk.url.replace('http', 'ws') + '/bridge';
  const connect = async () => {
    const socket = new WebSocket(url, { origin: stack.desk.url });
    const frames: Record<string, unknown>[] = [];
    socket.on('message', (data) => frames.push(JSON.parse(String(data))));
    await new Promise((resolve) => socket.on('open', resolve));
    let id = 0;
    const call = async (name: string, args: object) => {
      const requestId = ++id;
      socket.send(JSON.stringify({ type: 'request', id: requestId, name, args }));
      await expect.poll(() => frames.some((frame) => frame.type === 'reply' && frame.id === requestId)).toBe(true);
      return frames.find((frame) => frame.type === 'reply' && frame.id === requestId);
    };
    return { socket, frames, call };
  };
  const { chatId } = await stack.customerWrites(1, 'web-lifecycle', 'First words', 'Lifecycle Customer');

  const first = await connect();
  expect(await first.call('session.login', { serverUrl: stack.server.url, email: 'mod@example.com', password: 'password' })).toMatchObject({ ok: true });
  await stack.desk.engine.settled();
  await first.call('desk.focus', { focused: true });
  await first.call('chat.open', { chatId });
  // While that page shows the chat, focused, a new message in it is no news.
  await stack.customerWrites(1, 'web-lifecycle', 'Seen as it arrives');
  await expect.poll(() => first.frames.some((frame) => frame.type === 'event' && frame.event === 'messages.changed' && JSON.stringify(frame.payload).includes('Seen as it arrives'))).toBe(true);
  expect(first.frames.some((frame) => frame.type === 'event' && frame.event === 'notification')).toBe(false);

  // The tab is closed without a word.
  first.socket.terminate();
  const second = await connect();
  await stack.customerWrites(1, 'web-lifecycle', 'Anyone there now?');
  await expect
    .poll(() => second.frames.some((frame) => frame.type === 'event' && frame.event === 'notification' && JSON.stringify(frame.payload).includes('Anyone there now?')))
    .toBe(true);
  second.socket.close();
});
