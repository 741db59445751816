import type { Store } from '../store';
import type { UserRecord } from '../store/rows';
import { generateTokenSecret, hashesEqual, hashTokenSecret, parseBearer } from './access-tokens';

/** Roles that may use the operator API (v1) and the desk. */
export function isOperator(user: UserRecord): boolean {
  return user.roles.includes('admin') || user.roles.includes('moderator');
}

export function isAdmin(user: UserRecord): boolean {
  return user.roles.includes('admin');
}

/** Issues and checks Sanctum-style personal access tokens. */
export class Authenticator {
  constructor(
    private readonly store: Store,
    private readonly tokenTtlMinutes: number | null,
    private readonly now: () => number = Date.now,
  ) {}

  /** Creates a token and returns its plain text `{id}|{secret}`: the only time it exists in clear. */
  issue(userId: number, deviceName: string): string {
    const secret = generateTokenSecret();
    const now = this.now();
    const expiresAt = this.tokenTtlMinutes === null ? null : now + this.tokenTtlMinutes * 60_000;
    const id = this.store.tokens.create(userId, deviceName, hashTokenSecret(secret), expiresAt, now);
    return `${id}|${secret}`;
  }

  /** The user and token id behind a Bearer token, or undefined when it is unknown, expired or its user inactive. */
  resolve(bearer: string): { user: UserRecord; tokenId: number } | undefined {
    if (!bearer) return undefined;
    const { id, secret } = parseBearer(bearer);
    const hash = hashTokenSecret(secret);
    const token = id === null ? this.store.tokens.byHash(hash) : this.store.tokens.byId(id);
    if (!token || !hashesEqual(token.token_hash, hash)) return undefined;
    const now = this.now();
    if (token.expires_at !== null && token.expires_at <= now) return undefined;
    const user = this.store.users.byId(token.user_id);
    if (!user || user.is_active !== 1) return undefined;
    this.store.tokens.touch(token.id, now);
    return { user, tokenId: token.id };
  }

  revoke(tokenId: number): void {
    this.store.tokens.revoke(tokenId);
  }
}

/** `Authorization: Bearer …` → the token text, or '' when absent or malformed. */
export function bearerOf(header: string | undefined): string {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1] ?? '';
}
