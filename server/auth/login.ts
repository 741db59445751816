import { createHash } from 'node:crypto';
import type { LoginBody } from '../../common/schemas';
import type { AppDeps } from '../deps';
import type { UserRecord } from '../domain/records';
import type { ApiContext } from '../http/context';
import { ValidationError } from '../http/errors';
import { consumeLimit } from '../http/throttle';
import { dummyPasswordHash, verifyPassword } from './passwords';

// The one password check behind every dialect's login: the same limiters, the same bounded hashing,
// the same answer for every refusal. Dialects differ only in whom they admit and how they answer.

/** The login limiter's key: a fixed-size digest, so what a client sends never decides how much the limiter keeps. */
function loginKey(email: string, ip: string): string {
  return createHash('sha256').update(`${email.trim().toLowerCase()}\n${ip}`).digest('base64url');
}

/**
 * Counts the attempt (per IP, and per email + IP) and checks the password; the user when it matches
 * an active user that `admits` accepts, else a 422 on `email`. Call it with a body already validated:
 * a malformed request must cost a 422 and no limiter state.
 */
export async function checkLogin(
  deps: Pick<AppDeps, 'store' | 'limits'>,
  ctx: ApiContext,
  body: Pick<LoginBody, 'email' | 'password'>,
  admits: (user: UserRecord) => boolean,
): Promise<UserRecord> {
  await consumeLimit(ctx, deps.limits.loginPerIp, ctx.ip);
  await consumeLimit(ctx, deps.limits.login, loginKey(body.email, ctx.ip));
  const user = await deps.store.users.byEmail(body.email);
  // The same answer for an unknown email, a wrong password and a wrong role: nothing to enumerate.
  // An unknown email still pays for one hash, so response time does not reveal which emails exist.
  const passwordOk = await verifyPassword(body.password, user?.password_hash ?? (await dummyPasswordHash()));
  if (!user || !passwordOk || !user.is_active || !admits(user)) {
    throw ValidationError.field('email', 'These credentials do not match our records.');
  }
  return user;
}

/** The token's name: the client's `device_name`, else its User-Agent. */
export function deviceNameOf(ctx: ApiContext, deviceName: string | undefined): string {
  return deviceName ?? (ctx.get('User-Agent').slice(0, 255) || 'api');
}
