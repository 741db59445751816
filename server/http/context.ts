import type { RouterContext } from '@koa/router';
import type { UserRecord } from '../domain/records';
import type { Limiter } from '../limits/rate-limiter';
import { UnauthenticatedError } from './errors';

export interface AuthContext {
  user: UserRecord;
  tokenId: number;
}

export interface AppState {
  auth?: AuthContext;
  /** The limit a 429 came from, for the metrics. */
  limitedBy?: Limiter;
}

export type ApiContext = RouterContext<AppState>;

/** The authenticated user; routes behind `authenticate` always have one. */
export function currentAuth(ctx: { state: AppState }): AuthContext {
  if (!ctx.state.auth) throw new UnauthenticatedError();
  return ctx.state.auth;
}

/** The `X-Socket-ID` of the caller's realtime connection, excluded from the broadcast it causes. */
export function socketIdOf(ctx: { get(field: string): string }): string | null {
  const id = ctx.get('X-Socket-ID');
  return /^\d+\.\d+$/.test(id) ? id : null;
}
