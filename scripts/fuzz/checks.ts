import type { IncomingHttpHeaders } from 'node:http';
import { ERROR_CODES, type ErrorCode } from '../../common/api';
import { ALLOWED_MIME_TYPES } from '../../server/files/file-types';
import type { Rendered } from './render';
import { errorFormatOf, matchesKnownRoute, type ErrorFormat, type SuccessFormat } from './routes';
import type { Answer, Outcome } from './wire';

// The properties every answer must have: no 5xx; the documented format (v1 errors exactly
// `{message, code}` + `errors` on 422, JSON; success bodies as the route says); nothing internal
// (stack frames, source paths); no success for a request that must be refused.

/** `harness`: the fuzzer itself failed on this request (a bug of ours, reported like any finding). */
export type ProblemKind = 'server-error' | 'format' | 'leak' | 'access' | 'changed' | 'no-answer' | 'crash' | 'memory' | 'harness';

export interface Problem {
  kind: ProblemKind;
  /** Failures with one signature are one finding: shrunk and reported once, counted each time. */
  signature: string;
  detail: string;
}

/** The statuses v1 documents for refusals, and the code each carries. */
const DOCUMENTED: Record<number, ErrorCode> = {
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  422: 'VALIDATION_ERROR',
  429: 'TOO_MANY_REQUESTS',
};

const ERROR_CODE_SET: ReadonlySet<string> = new Set(ERROR_CODES);

export interface LeakPattern {
  name: string;
  pattern: RegExp;
}

/** What must never reach a client; `internalPaths` (the checkout, the server's data folder) are added per run. */
export function leakPatterns(internalPaths: readonly string[]): LeakPattern[] {
  return [
    { name: 'internal path /work/', pattern: /\/work\//g },
    { name: 'node_modules', pattern: /node_modules/g },
    { name: 'stack frame', pattern: /(?:\n|\\n)\s{2,}at \S+/g },
    { name: 'source location', pattern: /\.[cm]?[jt]sx?:\d+/g },
    { name: 'node internals', pattern: /node:internal/g },
    ...internalPaths.map((path) => ({ name: `internal path ${path}`, pattern: new RegExp(path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'g') })),
  ];
}

/** Text that matched a leak pattern in something we sent: an answer repeating it repeats us. */
export class EchoMemory {
  private readonly seen = new Set<string>();

  constructor(private readonly patterns: readonly LeakPattern[]) {}

  remember(sent: string): void {
    for (const { pattern } of this.patterns) for (const match of sent.matchAll(pattern)) if (this.seen.size < 10_000) this.seen.add(match[0]);
  }

  has(text: string): boolean {
    return this.seen.has(text);
  }
}

function header(headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : (value ?? '');
}

function parseJson(answer: Answer): { ok: true; value: unknown } | { ok: false; why: string } {
  if (!/^application\/json\b/i.test(header(answer.headers, 'content-type'))) return { ok: false, why: 'content-type' };
  if (answer.body.length === 0) return { ok: false, why: 'empty' };
  try {
    return { ok: true, value: JSON.parse(answer.body.toString()) };
  } catch {
    return { ok: false, why: 'not-json' };
  }
}

function keysOf(value: unknown): string[] | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.keys(value).sort() : undefined;
}

function sameKeys(actual: string[] | undefined, expected: string[]): boolean {
  return actual !== undefined && actual.join(',') === [...expected].sort().join(',');
}

type FormatIssue = { why: string; detail: string };

/** Laravel's validation errors, in both dialects: `{field: [sentences]}`, at least one. */
function validationErrorsIssue(errors: unknown): FormatIssue | undefined {
  const fine =
    typeof errors === 'object' &&
    errors !== null &&
    Object.keys(errors).length > 0 &&
    Object.values(errors).every((list: unknown) => Array.isArray(list) && list.length > 0 && list.every((item) => typeof item === 'string'));
  return fine ? undefined : { why: 'errors', detail: `422 errors ${JSON.stringify(errors)} is not {field: [sentences]}` };
}

function retryAfterIssue(answer: Answer): FormatIssue | undefined {
  return answer.status === 429 && !/^\d+$/.test(header(answer.headers, 'retry-after')) ? { why: 'retry-after', detail: 'a 429 without a Retry-After in seconds' } : undefined;
}

function errorIssue(answer: Answer, format: ErrorFormat): FormatIssue | undefined {
  switch (format) {
    case 'v1': {
      const parsed = parseJson(answer);
      if (!parsed.ok) return { why: parsed.why, detail: `a ${answer.status} that is not a JSON error body (${parsed.why}; content-type ${header(answer.headers, 'content-type') || 'none'})` };
      const body = parsed.value;
      const keys = keysOf(body);
      const expected = answer.status === 422 ? ['code', 'errors', 'message'] : ['code', 'message'];
      if (!sameKeys(keys, expected)) return { why: 'keys', detail: `error body keys ${JSON.stringify(keys)}, expected exactly ${JSON.stringify(expected)}` };
      const message: unknown = Reflect.get(Object(body), 'message');
      const code: unknown = Reflect.get(Object(body), 'code');
      if (typeof message !== 'string' || message === '') return { why: 'message', detail: `message ${JSON.stringify(message)} is not a non-empty string` };
      if (typeof code !== 'string' || !ERROR_CODE_SET.has(code)) return { why: 'code', detail: `code ${JSON.stringify(code)} is not one of ${ERROR_CODES.join(', ')}` };
      const documented = DOCUMENTED[answer.status];
      if (documented !== undefined && code !== documented) return { why: 'code', detail: `a ${answer.status} with code ${code}, documented as ${documented}` };
      if (answer.status === 422) {
        const issue = validationErrorsIssue(Reflect.get(Object(body), 'errors'));
        if (issue) return issue;
      }
      return retryAfterIssue(answer);
    }
    case 'legacy': {
      const parsed = parseJson(answer);
      if (!parsed.ok) return { why: parsed.why, detail: `a ${answer.status} that is not a JSON error body (${parsed.why}; content-type ${header(answer.headers, 'content-type') || 'none'})` };
      const body = parsed.value;
      const keys = keysOf(body);
      const expected = answer.status === 422 ? ['errors', 'message', 'status'] : ['message', 'status'];
      if (!sameKeys(keys, expected)) return { why: 'keys', detail: `legacy error body keys ${JSON.stringify(keys)}, expected exactly ${JSON.stringify(expected)}` };
      if (Reflect.get(Object(body), 'status') !== 'error') return { why: 'status', detail: `legacy error status ${JSON.stringify(Reflect.get(Object(body), 'status'))}, expected "error"` };
      const message: unknown = Reflect.get(Object(body), 'message');
      if (typeof message !== 'string' || message === '') return { why: 'message', detail: `message ${JSON.stringify(message)} is not a non-empty string` };
      if (answer.status === 422) {
        const issue = validationErrorsIssue(Reflect.get(Object(body), 'errors'));
        if (issue) return issue;
      }
      return retryAfterIssue(answer);
    }
    case 'crm': {
      const parsed = parseJson(answer);
      if (!parsed.ok) return { why: parsed.why, detail: `a ${answer.status} that is not a JSON error body (${parsed.why}; content-type ${header(answer.headers, 'content-type') || 'none'})` };
      const body = parsed.value;
      const keys = keysOf(body);
      // A widget closed by its opening hours also says when it opens (a 403 of the visitor API).
      const expected = answer.status === 422 ? [['error', 'errors']] : answer.status === 403 ? [['error'], ['error', 'next_open_at']] : [['error']];
      if (!expected.some((list) => sameKeys(keys, list))) return { why: 'keys', detail: `CRM error body keys ${JSON.stringify(keys)}, expected exactly ${expected.map((list) => JSON.stringify(list)).join(' or ')}` };
      const error: unknown = Reflect.get(Object(body), 'error');
      if (typeof error !== 'string' || error === '') return { why: 'error', detail: `error ${JSON.stringify(error)} is not a non-empty string` };
      if (answer.status === 401 && error !== 'Unauthorized') return { why: 'error', detail: `a 401 says ${JSON.stringify(error)}, documented as "Unauthorized"` };
      if (answer.status === 422) {
        const issue = validationErrorsIssue(Reflect.get(Object(body), 'errors'));
        if (issue) return issue;
      }
      return retryAfterIssue(answer);
    }
    default: {
      const unreachable: never = format;
      throw new Error(`unknown error format ${String(unreachable)}`);
    }
  }
}

const SUCCESS_STATUSES: Record<SuccessFormat['kind'], readonly number[]> = {
  'v1-data': [200, 201],
  'v1-page': [200],
  'v1-batch': [200],
  'channel-auth': [200],
  pusher: [200],
  attachment: [200, 302],
  feed: [200, 206],
  'legacy-envelope': [200, 201],
  'json-keys': [200, 201],
  'json-list': [200],
  'crm-object': [200, 201],
  'crm-list': [200],
  'no-content': [204],
  none: [],
};

function successIssue(answer: Answer, format: SuccessFormat, head: boolean): FormatIssue | undefined {
  if (!SUCCESS_STATUSES[format.kind].includes(answer.status)) return { why: 'status', detail: `status ${answer.status} is not a documented success of this route` };
  if (head) return undefined;
  const json = () => {
    const parsed = parseJson(answer);
    return parsed.ok ? { value: parsed.value } : { issue: { why: parsed.why, detail: `a ${answer.status} that is not JSON (${parsed.why})` } };
  };
  switch (format.kind) {
    case 'v1-data':
    case 'v1-page':
    case 'v1-batch': {
      const parsed = json();
      if ('issue' in parsed) return parsed.issue;
      const expected = format.kind === 'v1-data' ? ['data'] : format.kind === 'v1-batch' ? ['data', 'meta'] : ['data', 'links', 'meta'];
      const keys = keysOf(parsed.value);
      if (!sameKeys(keys, expected)) return { why: 'keys', detail: `success body keys ${JSON.stringify(keys)}, expected exactly ${JSON.stringify(expected)}` };
      if (format.kind !== 'v1-data' && !Array.isArray(Reflect.get(Object(parsed.value), 'data'))) return { why: 'data', detail: 'a page whose data is not a list' };
      return undefined;
    }
    case 'channel-auth': {
      const parsed = json();
      if ('issue' in parsed) return parsed.issue;
      const keys = keysOf(parsed.value);
      if (!sameKeys(keys, ['auth']) && !sameKeys(keys, ['auth', 'channel_data'])) return { why: 'keys', detail: `channel auth keys ${JSON.stringify(keys)}, expected {auth[, channel_data]}` };
      const auth: unknown = Reflect.get(Object(parsed.value), 'auth');
      if (typeof auth !== 'string' || !/^[^:]+:[0-9a-f]{64}$/.test(auth)) return { why: 'auth', detail: `auth ${JSON.stringify(auth)} is not key:hmac` };
      const channelData: unknown = Reflect.get(Object(parsed.value), 'channel_data');
      if (channelData !== undefined) {
        try {
          if (typeof channelData !== 'string' || keysOf(JSON.parse(channelData)) === undefined) throw new Error('not an object');
        } catch {
          return { why: 'channel-data', detail: `channel_data ${JSON.stringify(channelData)} is not a JSON object in a string` };
        }
      }
      return undefined;
    }
    case 'pusher': {
      const parsed = json();
      if ('issue' in parsed) return parsed.issue;
      const keys = keysOf(parsed.value);
      const allowed = new Set([...format.keys, ...(format.optional ?? [])]);
      if (!keys || !format.keys.every((key) => keys.includes(key)) || !keys.every((key) => allowed.has(key))) {
        return { why: 'keys', detail: `Pusher API body keys ${JSON.stringify(keys)}, expected ${JSON.stringify(format.keys)} + some of ${JSON.stringify(format.optional ?? [])}` };
      }
      return undefined;
    }
    case 'legacy-envelope':
    case 'json-keys': {
      const parsed = json();
      if ('issue' in parsed) return parsed.issue;
      const keys = keysOf(parsed.value);
      const expected = format.kind === 'legacy-envelope' ? ['data', 'message', 'status'] : format.keys;
      if (!sameKeys(keys, [...expected])) return { why: 'keys', detail: `success body keys ${JSON.stringify(keys)}, expected exactly ${JSON.stringify(expected)}` };
      if (format.kind === 'legacy-envelope' && Reflect.get(Object(parsed.value), 'status') !== 'success') return { why: 'status', detail: 'a legacy success whose status is not "success"' };
      return undefined;
    }
    case 'json-list': {
      const parsed = json();
      if ('issue' in parsed) return parsed.issue;
      return Array.isArray(parsed.value) ? undefined : { why: 'list', detail: 'a list route answered something that is not a JSON list' };
    }
    case 'crm-object': {
      const parsed = json();
      if ('issue' in parsed) return parsed.issue;
      const keys = keysOf(parsed.value);
      if (!sameKeys(keys, [...format.keys])) return { why: 'keys', detail: `CRM body keys ${JSON.stringify(keys)}, expected exactly ${JSON.stringify(format.keys)}` };
      return undefined;
    }
    case 'crm-list': {
      const parsed = json();
      if ('issue' in parsed) return parsed.issue;
      if (!Array.isArray(parsed.value)) return { why: 'array', detail: 'a CRM list that is not a JSON array' };
      if (!/^\d+$/.test(header(answer.headers, 'x-total-count'))) return { why: 'total', detail: 'a CRM list without X-Total-Count' };
      if (!/rel="first"/.test(header(answer.headers, 'link')) || !/rel="last"/.test(header(answer.headers, 'link'))) return { why: 'link', detail: 'a CRM list without first and last Link' };
      return undefined;
    }
    case 'no-content':
      return answer.body.length === 0 ? undefined : { why: 'body', detail: `a 204 with ${answer.body.length} bytes of body` };
    case 'attachment': {
      if (answer.status === 302) return header(answer.headers, 'location') ? undefined : { why: 'location', detail: 'a redirect without a Location' };
      const type = header(answer.headers, 'content-type').split(';')[0]?.trim() ?? '';
      if (!ALLOWED_MIME_TYPES.includes(type)) return { why: 'content-type', detail: `an attachment served as ${type || 'nothing'}` };
      if (header(answer.headers, 'x-content-type-options') !== 'nosniff') return { why: 'nosniff', detail: 'an attachment without X-Content-Type-Options: nosniff' };
      return undefined;
    }
    case 'feed': {
      const type = header(answer.headers, 'content-type');
      if (!['text/yaml; charset=utf-8', 'application/octet-stream'].includes(type)) return { why: 'content-type', detail: `a feed file served as ${type || 'nothing'}` };
      if (answer.status === 206 && !/^bytes \d+-\d+\/\d+$/.test(header(answer.headers, 'content-range'))) return { why: 'content-range', detail: 'a 206 without a Content-Range' };
      return undefined;
    }
    case 'none':
      return { why: 'succeeded', detail: `an unknown path answered ${answer.status}` };
    default: {
      const unreachable: never = format;
      throw new Error(`unknown success format ${JSON.stringify(unreachable)}`);
    }
  }
}

function leaks(r: Rendered, answer: Answer, patterns: readonly LeakPattern[], echoes: EchoMemory): Problem[] {
  const text = [...Object.entries(answer.headers).map(([name, value]) => `${name}: ${Array.isArray(value) ? value.join(', ') : (value ?? '')}`), answer.body.subarray(0, 4_000_000).toString()].join('\n');
  const problems: Problem[] = [];
  for (const { name, pattern } of patterns) {
    for (const match of text.matchAll(pattern)) {
      if (r.echo.includes(match[0]) || echoes.has(match[0])) continue;
      const at = match.index;
      problems.push({ kind: 'leak', signature: `${r.label} leak ${name}`, detail: `${name} in the answer: …${JSON.stringify(text.slice(Math.max(0, at - 80), at + 160))}…` });
      break;
    }
  }
  return problems;
}

/** The size of a request's header section as written (request line and headers). */
function headerBytes(r: Rendered): number {
  if (r.wire.kind === 'raw') return r.wire.request.bytes.length;
  const { method, path, headers } = r.wire.request;
  return method.length + path.length + 11 + headers.reduce((sum, [name, value]) => sum + name.length + value.length + 4, 0);
}

function pathOnly(r: Rendered): string {
  return r.wire.kind === 'http' ? (r.wire.request.path.split('?')[0] ?? '') : '';
}

/**
 * The format a refusal must be in: the one of the dialect that owns the path as sent (a path the
 * fuzzer bent — `//api/chats`, `/API/CHATS` — is owned by none, so v1's). Headers over the limit
 * are refused by Node's parser before any path is known, so always in v1's.
 */
function expectedErrorFormat(r: Rendered, status: number): ErrorFormat {
  if (status === 431) return 'v1';
  if (r.wire.kind === 'raw') return r.route?.errors ?? 'v1';
  return errorFormatOf(pathOnly(r));
}

export function checkAnswer(r: Rendered, outcome: Outcome, patterns: readonly LeakPattern[], echoes: EchoMemory): Problem[] {
  if (outcome.kind === 'no-answer') {
    // Malformed HTTP may be dropped, and an incomplete request may be waited on; a whole request must be answered.
    const oversized = headerBytes(r) > 16 * 1024;
    // Over the header limit the server answers 431 and closes at once; a body still on its way then resets the
    // connection, and the client may lose the 431 it was sent (no lingering close). That race is not a finding.
    const mayGoUnanswered = (r.wire.kind === 'raw' && (outcome.reason !== 'timeout' || !r.wire.request.complete)) || (oversized && outcome.reason === 'reset');
    // Over Node's 16 KB header limit every route shares one answer (and one way of failing to give it).
    const scope = oversized ? 'any route (headers over 16 KB)' : r.label;
    return mayGoUnanswered ? [] : [{ kind: 'no-answer', signature: `${scope} no-answer ${outcome.reason}`, detail: `no answer: connection ${outcome.reason} after ${outcome.ms} ms` }];
  }
  const { answer } = outcome;
  const problems = leaks(r, answer, patterns, echoes);
  const scope = DOCUMENTED[answer.status] !== undefined || answer.status < 400 ? r.label : 'any route';
  const format = (issue: FormatIssue | undefined, where = scope) => {
    if (issue) problems.push({ kind: 'format', signature: `${where} format ${answer.status} ${issue.why}`, detail: issue.detail });
  };
  const head = r.method === 'HEAD';

  if (answer.status >= 500) {
    problems.push({ kind: 'server-error', signature: `${r.label} 5xx ${answer.status}`, detail: `a ${answer.status}: ${answer.body.subarray(0, 300).toString()}` });
    if (!head) format(errorIssue(answer, expectedErrorFormat(r, answer.status)));
    return problems;
  }
  if (answer.status < 200) {
    const upgrade = answer.status === 101 && r.label.startsWith('raw websocket') && /^GET \/app\//.test(r.echo);
    const proceed = answer.status === 100 && r.label === 'raw expect-continue-silent';
    if (!upgrade && !proceed) format({ why: 'informational', detail: `an unexpected ${answer.status}` });
    return problems;
  }
  if (answer.status >= 400) {
    if (!head) format(errorIssue(answer, expectedErrorFormat(r, answer.status)));
    return problems;
  }
  // OPTIONS only says which methods a path has, as it would to anyone; it reads and changes nothing.
  if (r.mustRefuse.length > 0 && r.method !== 'OPTIONS') {
    // One finding per reason (a token form, a hidden chat), whatever route shows it: the cause is usually one place.
    const reason = (r.mustRefuse[0] ?? '').replace(/ \d+ /g, ' N ').replace(/^[^:]*: /, '');
    problems.push({ kind: 'access', signature: `access: ${reason}`, detail: `answered ${answer.status} although: ${r.mustRefuse.join('; ')}` });
  }
  if (r.method === 'OPTIONS') {
    if (answer.status === 204 && answer.body.length === 0) return problems;
    const parsed = parseJson(answer);
    if (!parsed.ok) format({ why: parsed.why, detail: `OPTIONS answered ${answer.status} without a JSON body (${parsed.why})` }, 'any route OPTIONS');
    return problems;
  }
  if (!r.route) {
    // A path made up by the fuzzer that happens to name a real route is not an unknown path.
    if (!matchesKnownRoute(pathOnly(r))) format(successIssue(answer, { kind: 'none' }, head));
    return problems;
  }
  format(successIssue(answer, r.route.success, head));
  return problems;
}
