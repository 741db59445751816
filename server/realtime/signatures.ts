import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

// The two signatures of the Pusher protocol, both HMAC-SHA256 with the app secret, hex encoded:
// - channel authorisation: `key:hmac(secret, "socket_id:channel_name[:channel_data]")`
//   (https://pusher.com/docs/channels/library_auth_reference/auth-signatures);
// - the HTTP API: `hmac(secret, "METHOD\npath\nsorted_query")`
//   (https://pusher.com/docs/channels/library_auth_reference/rest-api#authentication).

function hmacHex(secret: string, text: string): string {
  return createHmac('sha256', secret).update(text).digest('hex');
}

/** Constant-time comparison of two strings (hex digests, `key:digest` tokens). */
export function safeEqual(actual: string, expected: string): boolean {
  const a = Buffer.from(actual);
  const b = Buffer.from(expected);
  // Comparing against itself keeps the time independent of where a wrong-length value differs.
  return a.length === b.length ? timingSafeEqual(a, b) : !timingSafeEqual(b, b);
}

/** The `auth` string a channel authoriser answers (Laravel's `PusherBroadcaster::validAuthenticationResponse`). */
export function channelAuthToken(key: string, secret: string, socketId: string, channel: string, channelData?: string): string {
  const text = channelData === undefined ? `${socketId}:${channel}` : `${socketId}:${channel}:${channelData}`;
  return `${key}:${hmacHex(secret, text)}`;
}

export function channelAuthValid(key: string, secret: string, socketId: string, channel: string, auth: string, channelData?: string): boolean {
  return safeEqual(auth, channelAuthToken(key, secret, socketId, channel, channelData));
}

export function bodyMd5(body: string): string {
  return createHash('md5').update(body).digest('hex');
}

/** Pusher's canonical query: keys lowercased and sorted, `auth_signature` left out, values not URL-escaped. */
function canonicalQuery(params: URLSearchParams): string {
  const pairs: [string, string][] = [];
  for (const [key, value] of params) {
    const lower = key.toLowerCase();
    if (lower !== 'auth_signature') pairs.push([lower, value]);
  }
  pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return pairs.map(([key, value]) => `${key}=${value}`).join('&');
}

export function httpApiSignature(secret: string, method: string, path: string, params: URLSearchParams): string {
  return hmacHex(secret, `${method.toUpperCase()}\n${path}\n${canonicalQuery(params)}`);
}

export interface SignedRequest {
  method: string;
  /** The path as sent, without the query. */
  path: string;
  query: URLSearchParams;
  body: string;
}

export interface HttpApiCredentials {
  key: string;
  secret: string;
}

/** Seconds a signed request stays valid either side of our clock (Pusher's 600). */
export const HTTP_API_TIMESTAMP_GRACE_SECONDS = 600;

/** Why a signed HTTP API request is refused, or null when its signature holds. */
export function httpApiProblem(request: SignedRequest, credentials: HttpApiCredentials, nowMs: number): string | null {
  // Pusher signs keys lowercased; reading them the same way accepts any client's capitalisation.
  const query = new URLSearchParams();
  for (const [name, value] of request.query) query.append(name.toLowerCase(), value);
  const key = query.get('auth_key');
  const timestamp = query.get('auth_timestamp');
  const signature = query.get('auth_signature');
  if (key === null || timestamp === null || signature === null) return 'The auth_key, auth_timestamp and auth_signature parameters are required.';
  if (!safeEqual(key, credentials.key)) return 'Unknown auth_key.';
  const version = query.get('auth_version');
  if (version !== null && version !== '1.0') return 'Unsupported auth_version.';
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(nowMs / 1000 - Number(timestamp)) > HTTP_API_TIMESTAMP_GRACE_SECONDS) {
    return `The auth_timestamp is more than ${HTTP_API_TIMESTAMP_GRACE_SECONDS} seconds away from the server's time.`;
  }
  const md5 = query.get('body_md5');
  if (request.body !== '') {
    if (md5 === null || !safeEqual(md5.toLowerCase(), bodyMd5(request.body))) return 'The body_md5 does not match the body.';
  }
  const expected = httpApiSignature(credentials.secret, request.method, request.path, query);
  return safeEqual(signature.toLowerCase(), expected) ? null : 'Authentication signature invalid.';
}

/** Signs a request the way Pusher's server libraries do; used by tests, the benchmark and tools that publish. */
export function signHttpApiRequest(
  credentials: HttpApiCredentials,
  method: string,
  path: string,
  body: string,
  nowMs: number,
  extra: Record<string, string> = {},
): URLSearchParams {
  const query = new URLSearchParams({ ...extra, auth_key: credentials.key, auth_timestamp: String(Math.floor(nowMs / 1000)), auth_version: '1.0' });
  if (body !== '') query.set('body_md5', bodyMd5(body));
  query.set('auth_signature', httpApiSignature(credentials.secret, method, path, query));
  return query;
}
