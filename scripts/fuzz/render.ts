import { authorization, pusherQuery, spaceToken, webhookSignature, type TokenPool } from './render-auth';
import { applyHeaders, renderBody } from './render-body';
import { encodePairs, isCaller, percentEncode, Renderer, requestLineSafe } from './render-values';
import type { Caller, Fixtures } from './fixtures';
import { rawRequest } from './raw';
import { findRoute, ROUTES, type RouteDescription, type Snapshot } from './routes';
import type { CredentialSpec, HttpSpec, PathStyle, RequestSpec, UnknownSpec } from './specs';
import type { RawRequest, WireRequest } from './wire';

// A symbolic request (specs.ts) made concrete against the running server: ids the caller may or may not
// see, tokens, signatures, bytes. It also says what the answer must respect: why it must be refused,
// which chat a refusal must leave alone.

export interface Rendered {
  spec: RequestSpec;
  /** The table route whose rules apply to the answer (same path template and method), if any. */
  route: RouteDescription | undefined;
  /** Shown in reports: a route's name, `unknown path` or `raw <template>`. */
  label: string;
  wire: { kind: 'http'; request: WireRequest } | { kind: 'raw'; request: RawRequest };
  method: string;
  /** Why this request must not succeed (bad token, forged signature, another's chat); empty when it may. */
  mustRefuse: string[];
  /** What a refusal must leave unchanged, and for `chat` which one. */
  snapshot?: { kind: Snapshot; chatId?: number };
  /** Everything we sent, as text: what an answer may echo without it being a leak. */
  echo: string;
}

/** A path as a lenient router would see it: no empty or `.` segments, unreserved letters decoded. */
function normalizedPath(path: string): string {
  const decoded = path.replace(/%([46][1-9a-f]|[57][0-9a])/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return `/${decoded.split('/').filter((segment, i, all) => segment !== '.' && (segment !== '' || i === all.length - 1)).join('/')}`;
}

function styled(path: string, style: PathStyle): string {
  switch (style) {
    case 'plain':
      return path;
    case 'trailing-slash':
      return `${path}/`;
    case 'double-slash':
      return `/${path}`;
    case 'upper-case':
      return path.toUpperCase();
    case 'dot-segment':
      return path.replace(/^(\/[^/]*)/, '$1/.');
    case 'encoded-letter':
      return path.replace(/[a-z]/, (letter) => `%${letter.charCodeAt(0).toString(16)}`);
    default: {
      const unreachable: never = style;
      throw new Error(`unknown path style ${String(unreachable)}`);
    }
  }
}

function echoOf(path: string, headers: [string, string][], body: Buffer | undefined): string {
  return [path, decodeSafely(path), ...headers.map(([n, v]) => `${n}: ${v}`), body ? body.subarray(0, 2_000_000).toString() : ''].join('\n');
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function callerOf(credential: CredentialSpec): Caller {
  return isCaller(credential.c) ? credential.c : 'admin';
}

function renderHttp(spec: HttpSpec, fixtures: Fixtures, pool: TokenPool): Rendered {
  const route = ROUTES.find((r) => r.name === spec.route);
  if (!route) throw new Error(`no route ${spec.route}`);
  const method = spec.method === 'route' ? route.method : spec.method;
  const r = new Renderer(fixtures, callerOf(spec.credential));

  const path = styled(
    route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
      const value = spec.params.find(([n]) => n === name)?.[1] ?? { t: 'omit' };
      const text = r.scalar(value, route.params?.[name], `path ${name}`);
      return value.t === 'raw' ? requestLineSafe(text) : percentEncode(text);
    }),
    spec.pathStyle,
  );
  const chatTarget = r.chatTarget;
  // The route this reaches: a left-out id makes `/chats/{id}` the list, another method another route.
  const target = findRoute(method, normalizedPath(path));
  const auth = target?.auth ?? route.auth;
  let query = encodePairs([
    ...spec.query.flatMap(([name, value]) => r.pairs(name, value, route.query?.[name])),
    ...spec.extraQuery.map(([k, v]): [string, string, boolean] => [k, v, false]),
  ]);
  const body = renderBody(r, spec.body, route.body?.fields);
  const bodyText = body.bytes?.toString() ?? '';

  const reasons = [...r.reasons];
  const headers: [string, string][] = [['Accept', 'application/json']];
  const bearer = authorization(spec.credential, fixtures, pool, route.consumesToken === true && method === route.method);
  if (bearer.header !== undefined) headers.push(['Authorization', bearer.header]);
  // An employee's token passes where any user may call, with the admin's refs: an employee sees fewer chats
  // than the admin, so what the admin may not see still has to be refused, and nothing else is claimed.
  if ((auth === 'operator' || auth === 'admin' || (auth === 'user' && !bearer.anyUser)) && bearer.refused) reasons.push(bearer.refused);
  if (auth === 'admin' && (spec.credential.c === 'mod' || spec.credential.c === 'mod2')) reasons.push(`${spec.credential.c} is not an admin`);
  if (body.contentType) headers.push(['Content-Type', body.contentType]);
  if (auth === 'visitor') {
    const space = spaceToken(spec.credential, fixtures);
    if (space.header !== undefined) headers.push(['X-Space-Token', space.header]);
    if (space.refused) reasons.push(space.refused);
  }
  if (auth === 'webhook-signature') {
    const signed = webhookSignature(spec.signature, fixtures.webhookSecret, bodyText);
    headers.push(...signed.headers);
    if (signed.refused) reasons.push(signed.refused);
  }
  if (auth === 'pusher-signature') {
    const signed = pusherQuery(spec.pusher, fixtures, method, path, query, bodyText);
    query = signed.query;
    if (signed.refused) reasons.push(signed.refused);
  }
  const final = applyHeaders(headers, spec.headers, body);
  const fullPath = query ? `${path}?${query}` : path;
  const snapshotKind = method === route.method ? route.unchanged : undefined;
  return {
    spec,
    route: target,
    label: target?.name ?? `${method} ${route.path}`,
    wire: { kind: 'http', request: { method, path: fullPath, headers: final.headers, body: final.body.bytes } },
    method,
    mustRefuse: reasons,
    snapshot: snapshotKind === undefined ? undefined : { kind: snapshotKind, chatId: snapshotKind === 'chat' ? chatTarget : undefined },
    echo: echoOf(fullPath, final.headers, final.body.bytes),
  };
}

function renderUnknown(spec: UnknownSpec, fixtures: Fixtures, pool: TokenPool): Rendered {
  const r = new Renderer(fixtures, callerOf(spec.credential));
  const path = `${spec.prefix.replace(/\/$/, '')}/${spec.segments.join('/')}`.replace(/^$/, '/');
  const headers: [string, string][] = [['Accept', 'application/json']];
  const bearer = authorization(spec.credential, fixtures, pool, false);
  if (bearer.header !== undefined) headers.push(['Authorization', bearer.header]);
  const body = renderBody(r, spec.body, undefined);
  if (body.contentType) headers.push(['Content-Type', body.contentType]);
  const final = applyHeaders(headers, spec.headers, body);
  return {
    spec,
    route: undefined,
    label: 'unknown path',
    wire: { kind: 'http', request: { method: spec.method, path, headers: final.headers, body: final.body.bytes } },
    method: spec.method,
    mustRefuse: [],
    echo: echoOf(path, final.headers, final.body.bytes),
  };
}

export function render(spec: RequestSpec, fixtures: Fixtures, pool: TokenPool): Rendered {
  switch (spec.t) {
    case 'http':
      return renderHttp(spec, fixtures, pool);
    case 'unknown':
      return renderUnknown(spec, fixtures, pool);
    case 'raw': {
      const request = rawRequest(spec.template, spec.path, `${fixtures.host}:${fixtures.port}`, spec.size, spec.junk);
      const method = request.bytes.subarray(0, Math.max(0, request.bytes.indexOf(' '))).toString('latin1');
      const route = findRoute(method, spec.path);
      return {
        spec,
        route,
        label: `raw ${spec.template}`,
        wire: { kind: 'raw', request },
        method,
        mustRefuse: route && route.auth !== 'none' ? ['no credentials'] : [],
        echo: request.bytes.subarray(0, 2_000_000).toString('latin1'),
      };
    }
    default: {
      const unreachable: never = spec;
      throw new Error(`unknown request spec ${JSON.stringify(unreachable)}`);
    }
  }
}
