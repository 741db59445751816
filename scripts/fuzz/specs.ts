import fc from 'fast-check';
import { RAW_TEMPLATES, type RawTemplate } from './raw';
import { ROUTES, type RouteDescription } from './routes';
import { anyValue, bigString, deepNesting, fieldValue, objectValue, SPECIAL_STRINGS, type ValueSpec } from './values';

// What one fuzzed request is, symbolically: which route, as whom, with what mutated. fast-check generates
// and shrinks these; render.ts turns one into bytes with the fixtures of the running server.

export type CredentialSpec =
  | { c: 'admin' | 'mod' | 'mod2' }
  /** A role the API refuses, a deactivated user's token, a revoked one, none at all. */
  | { c: 'employee' | 'deactivated' | 'revoked' | 'none' }
  | { c: 'malformed'; form: number; noise: string };

export type SignatureSpec = 'valid' | 'valid-upper' | 'missing' | 'wrong-secret' | 'other-body' | 'junk' | 'stale' | 'no-timestamp' | 'junk-timestamp';
export type PusherAuthSpec = 'valid' | 'missing' | 'bad-signature' | 'stale' | 'wrong-key' | 'bad-md5' | 'no-md5' | 'bad-version';

export type BodySpec =
  | { t: 'none' }
  | { t: 'value'; encoding: 'json' | 'form'; value: ValueSpec }
  /** Bytes that are not what the content type says (broken JSON, binary, …). */
  | { t: 'text'; text: string }
  | { t: 'multipart'; parts: PartSpec[]; boundary: 'ok' | 'missing' | 'mismatch' | 'truncated' };

export type PartContent = 'png' | 'pdf' | 'text' | 'svg' | 'html' | 'exe' | 'empty' | 'random' | 'big';

export interface PartSpec {
  name: string;
  filename: string | null;
  content: PartContent;
  contentType: string | null;
}

export type HeaderMutation =
  | { h: 'content-type'; value: string }
  | { h: 'no-content-type' }
  | { h: 'socket-id'; value: string }
  | { h: 'host'; value: string }
  | { h: 'accept'; value: string }
  | { h: 'huge'; size: number }
  | { h: 'many'; count: number }
  | { h: 'content-encoding'; value: 'gzip' | 'deflate' | 'br' | 'identity' | 'x-junk'; compress: boolean }
  | { h: 'range'; value: string }
  | { h: 'expect'; value: string }
  | { h: 'other'; name: string; value: string };

export type PathStyle = 'plain' | 'trailing-slash' | 'double-slash' | 'upper-case' | 'dot-segment' | 'encoded-letter';

export interface HttpSpec {
  t: 'http';
  route: string;
  /** `route` = the route's own method. */
  method: string;
  credential: CredentialSpec;
  signature: SignatureSpec;
  pusher: PusherAuthSpec;
  params: [string, ValueSpec][];
  query: [string, ValueSpec][];
  extraQuery: [string, string][];
  body: BodySpec;
  headers: HeaderMutation[];
  pathStyle: PathStyle;
}

export interface UnknownSpec {
  t: 'unknown';
  method: string;
  prefix: string;
  segments: string[];
  credential: CredentialSpec;
  body: BodySpec;
  headers: HeaderMutation[];
}

export interface RawSpec {
  t: 'raw';
  template: RawTemplate;
  path: string;
  size: number;
  junk: string;
}

export type RequestSpec = HttpSpec | UnknownSpec | RawSpec;

/** The weight of a mutation against 10 for the valid choice, everywhere: about one request in four is entirely valid. */
const MUTATE = 1;

export const MALFORMED_TOKEN_FORMS = 12;

const credential: fc.Arbitrary<CredentialSpec> = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom<CredentialSpec>({ c: 'admin' }, { c: 'mod' }, { c: 'mod2' }) },
  { weight: 4, arbitrary: fc.constantFrom<CredentialSpec>({ c: 'employee' }, { c: 'deactivated' }, { c: 'revoked' }, { c: 'none' }) },
  {
    weight: 2,
    arbitrary: fc.record({ c: fc.constant('malformed' as const), form: fc.nat(MALFORMED_TOKEN_FORMS - 1), noise: fc.string({ unit: 'binary-ascii', maxLength: 20 }) }),
  },
);

const signature = fc.oneof(
  { weight: 10, arbitrary: fc.constant<SignatureSpec>('valid') },
  { weight: 3, arbitrary: fc.constantFrom<SignatureSpec>('valid-upper', 'missing', 'wrong-secret', 'other-body', 'junk', 'stale', 'no-timestamp', 'junk-timestamp') },
);

const pusherAuth = fc.oneof(
  { weight: 10, arbitrary: fc.constant<PusherAuthSpec>('valid') },
  { weight: 3, arbitrary: fc.constantFrom<PusherAuthSpec>('missing', 'bad-signature', 'stale', 'wrong-key', 'bad-md5', 'no-md5', 'bad-version') },
);

const OTHER_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'PROPFIND', 'TRACE', 'SEARCH'];

const method = fc.oneof({ weight: 20, arbitrary: fc.constant('route') }, { weight: 1, arbitrary: fc.constantFrom(...OTHER_METHODS) });

const pathStyle = fc.oneof(
  { weight: 20, arbitrary: fc.constant<PathStyle>('plain') },
  { weight: 2, arbitrary: fc.constantFrom<PathStyle>('trailing-slash', 'double-slash', 'upper-case', 'dot-segment', 'encoded-letter') },
);

/** Header values Node's client can write (Latin-1, no CR, LF or NUL) and that are wrong in some way. */
const headerJunk = fc.oneof(
  fc.constantFrom('', ' ', 'null', 'undefined', '0', '-1', 'é', '\u00ff\u00fe', '1.2.3', '../../etc', '%00', '<x>', '{"a":1}'),
  fc.string({ unit: 'binary-ascii', maxLength: 40 }).map((value) => value.replace(/[\r\n\0]/g, '')),
);

const CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'multipart/form-data; boundary=x',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/json; charset=nope',
  'application/vnd.api+json',
  'application/xml',
  'application/octet-stream',
  '*/*',
  'a/b/c',
  'application/json, text/plain',
  'application/json;;;',
];

const headerMutation: fc.Arbitrary<HeaderMutation> = fc.oneof(
  fc.record({ h: fc.constant('content-type' as const), value: fc.oneof(fc.constantFrom(...CONTENT_TYPES), headerJunk) }),
  fc.constant<HeaderMutation>({ h: 'no-content-type' }),
  fc.record({ h: fc.constant('socket-id' as const), value: fc.oneof(fc.constantFrom('123.456', '1.2', 'abc', '1.2.3', '-1.-1', '1.'), headerJunk) }),
  fc.record({
    h: fc.constant('host' as const),
    value: fc.oneof(
      fc.constantFrom('evil.example', '', 'a b', '[::1', '[::1]:80', '127.0.0.1:99999', 'localhost:abc', '@', 'user@host', '::::', 'é.example', 'x'.repeat(3_000), '127.0.0.1:0'),
      headerJunk,
    ),
  }),
  fc.record({ h: fc.constant('accept' as const), value: fc.oneof(fc.constantFrom('text/html', '*/*', 'application/xml', 'image/png', ''), headerJunk) }),
  fc.record({ h: fc.constant('huge' as const), size: fc.oneof(fc.integer({ min: 1_000, max: 15_000 }), fc.integer({ min: 15_000, max: 40_000 })) }),
  fc.record({ h: fc.constant('many' as const), count: fc.integer({ min: 50, max: 500 }) }),
  fc.record({ h: fc.constant('content-encoding' as const), value: fc.constantFrom('gzip' as const, 'deflate' as const, 'br' as const, 'identity' as const, 'x-junk' as const), compress: fc.boolean() }),
  fc.record({ h: fc.constant('range' as const), value: fc.constantFrom('bytes=0-0', 'bytes=-0', 'bytes=5-1', 'bytes=999999-', 'bytes=0-1,2-3', 'bytes=-1', 'junk', 'bytes=') }),
  fc.record({ h: fc.constant('expect' as const), value: fc.constantFrom('100-continue', 'junk', '') }),
  fc.record({
    h: fc.constant('other' as const),
    name: fc.constantFrom('X-Forwarded-For', 'X-Forwarded-Host', 'X-Forwarded-Proto', 'Origin', 'Cookie', 'Referer', 'User-Agent', 'X-HTTP-Method-Override', 'Authorization', 'Connection'),
    value: headerJunk,
  }),
);

const headers = fc.oneof(
  { weight: 12, arbitrary: fc.constant<HeaderMutation[]>([]) },
  { weight: 3, arbitrary: fc.array(headerMutation, { minLength: 1, maxLength: 3 }) },
);

const JUNK_BODIES = ['{"a":', 'text=hi', '\u0000', '\ufeff{}', '{"a":1}{"b":2}', "{'a':1}", '[', 'NaN', 'undefined', '{"__proto__":{"polluted":1}}', '{"a":1,"a":2}', '{"text":"\\ud800"}', ''];

const junkText = fc.oneof(
  fc.constantFrom(...JUNK_BODIES),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.integer({ min: 10, max: 20_000 }).map((n) => '['.repeat(n)),
);

function wholeBodyMutant(encoding: 'json' | 'form'): fc.Arbitrary<BodySpec> {
  const values: fc.Arbitrary<ValueSpec> = fc.oneof(
    fc.constantFrom<ValueSpec>({ t: 'lit', v: null }, { t: 'lit', v: [] }, { t: 'lit', v: 'string' }, { t: 'lit', v: 123 }, { t: 'lit', v: true }, { t: 'lit', v: {} }),
    deepNesting(),
    bigString(),
    anyValue(),
  );
  return values.map((value): BodySpec => ({ t: 'value', encoding, value }));
}

const PART_CONTENTS: PartContent[] = ['png', 'pdf', 'text', 'svg', 'html', 'exe', 'empty', 'random', 'big'];

const part: fc.Arbitrary<PartSpec> = fc.record({
  // `attachments[]`: the CRM's attach takes its files under that name.
  name: fc.oneof({ weight: 8, arbitrary: fc.constant('file') }, { weight: 3, arbitrary: fc.constant('attachments[]') }, { weight: 1, arbitrary: fc.constantFrom('files', 'file[]', 'other', '', 'FILE') }),
  filename: fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom('pixel.png', 'report.pdf', 'notes.txt') },
    { weight: 1, arbitrary: fc.constantFrom(null, '', '../../../etc/passwd', 'a\\b.png', '.png', 'x'.repeat(400) + '.png', 'résumé 😀.pdf', 'CON', 'a"b.png') },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  ),
  content: fc.oneof({ weight: 6, arbitrary: fc.constant<PartContent>('png') }, { weight: 2, arbitrary: fc.constantFrom(...PART_CONTENTS) }),
  contentType: fc.oneof({ weight: 6, arbitrary: fc.constant<string | null>('image/png') }, { weight: 1, arbitrary: fc.constantFrom(null, 'application/pdf', 'text/html', 'image/svg+xml', '') }),
});

const multipart: fc.Arbitrary<BodySpec> = fc.record({
  t: fc.constant('multipart' as const),
  parts: fc.oneof({ weight: 8, arbitrary: fc.tuple(part).map((p) => [...p]) }, { weight: 1, arbitrary: fc.array(part, { maxLength: 3 }) }),
  boundary: fc.oneof({ weight: 10, arbitrary: fc.constant('ok' as const) }, { weight: 1, arbitrary: fc.constantFrom('missing' as const, 'mismatch' as const, 'truncated' as const) }),
});

function bodyFor(route: RouteDescription): fc.Arbitrary<BodySpec> {
  const none = fc.constant<BodySpec>({ t: 'none' });
  const text = junkText.map((t): BodySpec => ({ t: 'text', text: t }));
  if (!route.body) return fc.oneof({ weight: 12, arbitrary: none }, { weight: 1, arbitrary: wholeBodyMutant('json') }, { weight: 1, arbitrary: text });
  if (route.body.encodings.includes('multipart')) {
    return fc.oneof({ weight: 12, arbitrary: multipart }, { weight: 1, arbitrary: wholeBodyMutant('json') }, { weight: 1, arbitrary: text }, { weight: 1, arbitrary: none });
  }
  const fields = route.body.fields;
  const encodings = route.body.encodings.filter((e): e is 'json' | 'form' => e !== 'multipart');
  const valued = fc
    .tuple(fc.constantFrom(...encodings), objectValue(fields, MUTATE * 3))
    .map(([encoding, value]): BodySpec => ({ t: 'value', encoding, value }));
  return fc.oneof({ weight: 12, arbitrary: valued }, { weight: 1, arbitrary: wholeBodyMutant(encodings[0] ?? 'json') }, { weight: 1, arbitrary: text }, { weight: 1, arbitrary: none });
}

function namedValues(fields: RouteDescription['params'], mutationWeight: number): fc.Arbitrary<[string, ValueSpec][]> {
  const entries = Object.entries(fields ?? {});
  return fc.tuple(...entries.map(([, field]) => fieldValue(field, mutationWeight))).map((values) =>
    entries.map(([name], i): [string, ValueSpec] => [name, values[i] ?? { t: 'omit' }]),
  );
}

/** Path parameters get path-shaped mutants too: encoded slashes, dot segments, NUL, 20 digits. */
const PATH_MUTANTS = ['0', '-1', '1.5', '1e3', 'abc', '%20', '%00', '..%2F..%2Fetc', '%2e%2e', '1%2F2', '%E2%82%AC', '%ZZ', '99999999999999999999', '١', ' 1', '0x1', '1;drop'];

function paramsFor(route: RouteDescription): fc.Arbitrary<[string, ValueSpec][]> {
  const entries = Object.entries(route.params ?? {});
  const one = (field: NonNullable<RouteDescription['params']>[string]) =>
    fc.oneof(
      { weight: 12, arbitrary: fieldValue({ ...field, required: true }, MUTATE * 2) },
      { weight: 1, arbitrary: fc.constantFrom(...PATH_MUTANTS).map((text): ValueSpec => ({ t: 'raw', text })) },
      { weight: 1, arbitrary: fc.integer({ min: 10, max: 20_000 }).map((length): ValueSpec => ({ t: 'big', unit: '9', length, salt: '' })) },
    );
  return fc.tuple(...entries.map(([, field]) => one(field))).map((values) => entries.map(([name], i): [string, ValueSpec] => [name, values[i] ?? { t: 'omit' }]));
}

const extraQuery = fc.oneof(
  { weight: 12, arbitrary: fc.constant<[string, string][]>([]) },
  {
    weight: 1,
    arbitrary: fc.array(
      fc.tuple(fc.oneof(fc.constantFrom('__proto__', 'constructor', 'page', 'a[b]', '', '%ZZ', 'x'.repeat(200)), fc.string({ maxLength: 10 })), fc.oneof(fc.constantFrom(...SPECIAL_STRINGS), fc.string({ maxLength: 20 }))),
      { minLength: 1, maxLength: 4 },
    ),
  },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 3_000 }).map((n) => Array.from({ length: n }, (_, i): [string, string] => [`p${i}`, String(i)])) },
);

export function httpSpec(route: RouteDescription): fc.Arbitrary<HttpSpec> {
  return fc.record({
    t: fc.constant('http' as const),
    route: fc.constant(route.name),
    method,
    credential,
    signature: route.auth === 'webhook-signature' ? signature : fc.constant<SignatureSpec>('valid'),
    pusher: route.auth === 'pusher-signature' ? pusherAuth : fc.constant<PusherAuthSpec>('valid'),
    params: paramsFor(route),
    query: namedValues(route.query, MUTATE * 2),
    extraQuery,
    body: bodyFor(route),
    headers,
    pathStyle,
  });
}

const PREFIXES = ['/', '/api', '/api/v1', '/api/v2', '/api/v1/chats/1', '/apps', '/apps/switchboard', '/app', '/broadcasting', '/updates', '/chat', '/chat/widget', '/api/chats', '/.well-known', '/favicon.ico'];

export const unknownSpec: fc.Arbitrary<UnknownSpec> = fc.record({
  t: fc.constant('unknown' as const),
  method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'PROPFIND', 'MKCOL', 'COPY', 'LOCK', 'TRACE', 'SEARCH', 'PURGE'),
  prefix: fc.constantFrom(...PREFIXES),
  segments: fc.array(fc.oneof(fc.stringMatching(/^[a-z0-9._~-]{1,12}$/), fc.constantFrom('..', '.', '%2e%2e', '%00', '%ZZ', 'x'.repeat(3_000), '%E2%82%AC', ';', '@')), { maxLength: 4 }),
  credential,
  body: fc.oneof({ weight: 4, arbitrary: fc.constant<BodySpec>({ t: 'none' }) }, { weight: 1, arbitrary: wholeBodyMutant('json') }),
  headers,
});

const RAW_PATHS = ['/api/v1/config', '/api/v1/chats', '/api/v1/auth/login', '/api/v1/chats/1/send', '/broadcasting/auth', '/apps/switchboard/events', '/updates/latest.yml', '/app/switchboard-key', '/', '/api/v1/nope'];

export const rawSpec: fc.Arbitrary<RawSpec> = fc.record({
  t: fc.constant('raw' as const),
  template: fc.constantFrom(...RAW_TEMPLATES),
  path: fc.constantFrom(...RAW_PATHS),
  size: fc.integer({ min: 1, max: 40_000 }),
  junk: fc.string({ unit: 'binary-ascii', maxLength: 30 }),
});

/** Every route equally often, and now and then an unknown path or malformed HTTP. */
export function requestSpec(routes: readonly RouteDescription[] = ROUTES): fc.Arbitrary<RequestSpec> {
  const perRoute = routes.map((route): fc.WeightedArbitrary<RequestSpec> => ({ weight: 2, arbitrary: httpSpec(route) }));
  return fc.oneof(...perRoute, { weight: 3, arbitrary: unknownSpec }, { weight: 3, arbitrary: rawSpec });
}
