import type { Clock } from '../clock';
import type { AccessEventSink } from '../domain/access-events';
import type { TokenKind, UserRecord } from '../domain/records';
import type { Store } from '../store/contract';
import { generateTokenSecret, hashesEqual, hashTokenSecret, parseBearer } from './access-tokens';

/** `last_used_at` is for people (which devices are in use), so a minute's precision is plenty and saves a write per request. */
const TOUCH_INTERVAL_MS = 60_000;

/** Issues and checks Sanctum-style personal access tokens. */
export class Authenticator {
  constructor(
    private readonly store: Store,
    private readonly tokenTtlMinutes: number | null,
    private readonly clock: Clock,
    private readonly access: AccessEventSink,
  ) {}

  /**
   * Creates a token and returns its plain text `{id}|{secret}`: the only time it exists in clear.
   * The TTL is for logins; a personal API token lives until it is revoked (an integration cannot
   * sign in again by itself).
   */
  async issue(userId: number, name: string, kind: TokenKind = 'session'): Promise<string> {
    const secret = generateTokenSecret();
    const now = this.clock.now();
    const expiresAt = this.tokenTtlMinutes === null || kind === 'personal' ? null : now + this.tokenTtlMinutes * 60_000;
    const id = await this.store.tokens.create(userId, name, hashTokenSecret(secret), expiresAt, now, kind);
    return `${id}|${secret}`;
  }

  /** The user and token id behind a Bearer token, or undefined when it is unknown, expired or its user inactive. */
  async resolve(bearer: string): Promise<{ user: UserRecord; tokenId: number } | undefined> {
    if (!bearer) return undefined;
    const parsed = parseBearer(bearer);
    if (!parsed) return undefined;
    const { id, secret } = parsed;
    const hash = hashTokenSecret(secret);
    const token = id === null ? await this.store.tokens.byHash(hash) : await this.store.tokens.byId(id);
    if (!token || !hashesEqual(token.token_hash, hash)) return undefined;
    const now = this.clock.now();
    if (token.expires_at !== null && token.expires_at <= now) return undefined;
    const user = await this.store.users.byId(token.user_id);
    if (!user || !user.is_active) return undefined;
    if (token.last_used_at === null || now - token.last_used_at >= TOUCH_INTERVAL_MS) await this.store.tokens.touch(token.id, now);
    return { user, tokenId: token.id };
  }

  /** Revokes one of the user's tokens of this kind; false when they hold no such token (another's included). */
  async revokeOwn(userId: number, tokenId: number, kind: TokenKind): Promise<boolean> {
    const token = await this.store.tokens.byId(tokenId);
    if (!token || token.user_id !== userId || token.kind !== kind) return false;
    await this.revoke(tokenId);
    return true;
  }

  /** Revokes a token; what it authorised (realtime subscriptions) has ended when this resolves. */
  async revoke(tokenId: number): Promise<void> {
    await this.store.tokens.revoke(tokenId);
    await this.access.accessChanged({ type: 'access.revoked', tokenId });
  }
}

/** `Authorization: Bearer …` → the token text, or '' when absent or malformed. */
export function bearerOf(header: string | undefined): string {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1] ?? '';
}
