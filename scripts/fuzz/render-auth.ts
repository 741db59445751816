import { SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from '../../server/dialects/v1/webhook-signature';
import { bodyMd5, httpApiSignature } from '../../server/realtime/signatures';
import type { Caller, Fixtures } from './fixtures';
import type { CredentialSpec, PusherAuthSpec, SignatureSpec } from './specs';

// Credentials as the server reads them: Bearer tokens (valid, foreign, malformed), the webhook's signed
// timestamp, Pusher's signed query; each spoilt form says why the request must then be refused.

/** Disposable tokens handed out so far, per caller (logout spends one each). */
export class TokenPool {
  private readonly used: Record<Caller, number> = { admin: 0, mod: 0, mod2: 0 };

  constructor(private readonly fixtures: Fixtures) {}

  take(caller: Caller): string | undefined {
    const token = this.fixtures.disposable[caller][this.used[caller]];
    if (token !== undefined) this.used[caller]++;
    return token;
  }
}

/** `anyUser`: the token is an active user's, refused only where operators alone may call. */
export function authorization(credential: CredentialSpec, fixtures: Fixtures, pool: TokenPool, consumes: boolean): { header?: string; refused?: string; anyUser?: boolean } {
  const { tokens } = fixtures;
  switch (credential.c) {
    case 'admin':
    case 'mod':
    case 'mod2': {
      if (!consumes) return { header: `Bearer ${tokens[credential.c]}` };
      const disposable = pool.take(credential.c);
      return disposable ? { header: `Bearer ${disposable}` } : { header: `Bearer ${tokens.revoked}`, refused: 'revoked token (the disposable pool ran out)' };
    }
    case 'employee':
      // Valid where any active user may call (the legacy dialect); never spent, as other checks rely on it.
      if (consumes) return { header: `Bearer ${tokens.revoked}`, refused: 'revoked token (the employee token is never spent)' };
      return { header: `Bearer ${tokens.employee}`, refused: 'employee token', anyUser: true };
    case 'deactivated':
    case 'revoked':
      return { header: `Bearer ${tokens[credential.c]}`, refused: `${credential.c} token` };
    case 'none':
      return { refused: 'no token' };
    case 'malformed': {
      // Forms that carry a real secret use a token of their own: a logout through one must not end the run's admin token.
      const [id = '1', secret = ''] = tokens.spare.split('|');
      const forms = [
        'Bearer',
        'Bearer ',
        `Bearer ${credential.noise}`,
        'Basic YWRtaW5AZXhhbXBsZS5jb206cGFzc3dvcmQ=',
        `Token ${tokens.spare}`,
        `Bearer ${tokens.spare}x`,
        `Bearer ${id}|${'a'.repeat(secret.length || 40)}`,
        `Bearer 0|${secret}`,
        `Bearer 99999999999999999999|${secret}`,
        `Bearer ${'a'.repeat(5_000)}`,
        `Bearer ${tokens.spare} ${tokens.spare}`,
        `Bearer -1|${credential.noise}`,
      ];
      return { header: forms[credential.form % forms.length], refused: `malformed token #${credential.form}` };
    }
    default: {
      const unreachable: never = credential;
      throw new Error(`unknown credential ${JSON.stringify(unreachable)}`);
    }
  }
}

/**
 * A website visitor's `X-Space-Token` for the credential the spec drew: the operators' valid forms
 * stand for the visitor's own space; the others for a space of another widget, a junk or a missing
 * token, each of which must be refused.
 */
export function spaceToken(credential: CredentialSpec, fixtures: Fixtures): { header?: string; refused?: string } {
  const { visitor } = fixtures;
  switch (credential.c) {
    case 'admin':
    case 'mod':
    case 'mod2':
      return { header: visitor.spaceToken };
    case 'employee':
      return { header: visitor.foreignSpaceToken, refused: 'space token of another widget' };
    case 'deactivated':
    case 'revoked':
      return { header: `${visitor.spaceToken}x`, refused: 'space token that is no space' };
    case 'none':
      return { refused: 'no space token' };
    case 'malformed':
      return { header: credential.noise.replace(/[^\x21-\x7e]/g, '') || ' ', refused: `malformed space token #${credential.form}` };
    default: {
      const unreachable: never = credential;
      throw new Error(`unknown credential ${JSON.stringify(unreachable)}`);
    }
  }
}

/** The webhook's signature headers (server/dialects/v1/webhook-signature.ts), spoilt as `spec` says. */
export function webhookSignature(spec: SignatureSpec, secret: string, body: string): { headers: [string, string][]; refused?: string } {
  const now = Math.floor(Date.now() / 1000);
  const signed = (timestamp: number | string, signature: string): [string, string][] => [
    [TIMESTAMP_HEADER, String(timestamp)],
    [SIGNATURE_HEADER, signature],
  ];
  switch (spec) {
    case 'valid':
      return { headers: signed(now, signWebhook(secret, now, body)) };
    case 'valid-upper':
      return { headers: signed(now, signWebhook(secret, now, body).toUpperCase()) };
    case 'missing':
      return { headers: [], refused: 'unsigned webhook' };
    case 'wrong-secret':
      return { headers: signed(now, signWebhook('not-the-secret', now, body)), refused: 'webhook signed with another secret' };
    case 'other-body':
      return { headers: signed(now, signWebhook(secret, now, `${body} `)), refused: 'webhook signature of another body' };
    case 'junk':
      return { headers: signed(now, 'sha256=zz'), refused: 'junk webhook signature' };
    case 'stale':
      return { headers: signed(now - 3_600, signWebhook(secret, now - 3_600, body)), refused: 'webhook signed an hour ago (a replay)' };
    case 'no-timestamp':
      return { headers: [[SIGNATURE_HEADER, signWebhook(secret, now, body)]], refused: 'webhook without its timestamp' };
    case 'junk-timestamp':
      return { headers: signed('soon', signWebhook(secret, 'soon', body)), refused: 'webhook with a timestamp that is not a time' };
    default: {
      const unreachable: never = spec;
      throw new Error(`unknown signature ${String(unreachable)}`);
    }
  }
}

/** Pusher's signed query for `method path?query` with `body`, spoilt as `spec` says. */
export function pusherQuery(spec: PusherAuthSpec, fixtures: Fixtures, method: string, path: string, query: string, body: string): { query: string; refused?: string } {
  if (spec === 'missing') return { query, refused: 'unsigned Pusher API request' };
  const { key, secret } = fixtures.realtime;
  const params = new URLSearchParams(query);
  params.set('auth_key', spec === 'wrong-key' ? 'not-the-key' : key);
  params.set('auth_timestamp', String(Math.floor(Date.now() / 1000) - (spec === 'stale' ? 3_600 : 0)));
  params.set('auth_version', spec === 'bad-version' ? '2.0' : '1.0');
  if (body !== '' && spec !== 'no-md5') params.set('body_md5', spec === 'bad-md5' ? bodyMd5(`${body} `) : bodyMd5(body));
  const signature = httpApiSignature(spec === 'bad-signature' ? 'not-the-secret' : secret, method, path, params);
  const signed = `${query ? `${query}&` : ''}${[...params].filter(([k]) => k.startsWith('auth_') || k === 'body_md5').map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}&auth_signature=${signature}`;
  // Without a body there is no body_md5 to leave out or get wrong; the server reads (and so signs) bodies of
  // POST, PUT and PATCH only, as its body parser does, and a GET's body is ignored, not trusted.
  const bodyRead = body !== '' && ['POST', 'PUT', 'PATCH'].includes(method);
  const valid = spec === 'valid' || ((spec === 'no-md5' || spec === 'bad-md5') && !bodyRead);
  return valid ? { query: signed } : { query: signed, refused: `Pusher API request with ${spec}` };
}
