import { randomBytes, scrypt, scryptSync, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { availableParallelism } from 'node:os';
import pLimit from 'p-limit';

// scrypt with N=2^15, r=8, p=1 (OWASP's recommendation); the parameters travel with the hash
// so they can be raised later without invalidating stored passwords.
const PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

/**
 * Hashes run one per core, two at most, and the rest wait their turn: each takes ~50 ms of a libuv
 * thread and 32 MB, and libuv has only four threads (files, DNS, the others' crypto). A login flood
 * then queues here instead of taking every thread and both cores from everyone else.
 */
const HASH_CONCURRENCY = Math.max(1, Math.min(2, availableParallelism()));
const hashQueue = pLimit(HASH_CONCURRENCY);

let running = 0;
let peak = 0;

/** What the hashing queue has done, for tests: they check the bound holds under a flood. */
export const passwordHashing = {
  /** Hashes allowed to run at once. */
  concurrency: HASH_CONCURRENCY,
  /** Hashes running right now. */
  get running(): number {
    return running;
  },
  /** The most hashes that ran at once since the process started (or since `resetPeak`). */
  get peak(): number {
    return peak;
  },
  /** Hashes waiting for their turn. */
  get waiting(): number {
    return hashQueue.pendingCount;
  },
  resetPeak(): void {
    peak = running;
  },
};

function maxmem(options: ScryptOptions): number {
  return 128 * (options.N ?? 1) * (options.r ?? 8) * 2;
}

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return hashQueue(
    () =>
      new Promise<Buffer>((resolvePromise, reject) => {
        running++;
        peak = Math.max(peak, running);
        scrypt(password, salt, KEY_LENGTH, { ...options, maxmem: maxmem(options) }, (error, key) => {
          running--;
          if (error) reject(error);
          else resolvePromise(key);
        });
      }),
  );
}

function encode(salt: Buffer, key: Buffer): string {
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  return encode(salt, await derive(password, salt, PARAMS));
}

/** For seeding and tools, where blocking the event loop for one hash is fine. */
export function hashPasswordSync(password: string): string {
  const salt = randomBytes(16);
  return encode(salt, scryptSync(password, salt, KEY_LENGTH, { ...PARAMS, maxmem: maxmem(PARAMS) }));
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await derive(password, Buffer.from(salt, 'base64'), { N: Number(n), r: Number(r), p: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

let dummyHash: Promise<string> | undefined;

/**
 * A hash no password matches, for logins with an unknown email: checking against it costs what a
 * real check costs, so response time does not reveal which emails exist. Made once, on first use
 * (start-up does not pay for it), off the event loop and through the same queue as every hash.
 */
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(32).toString('base64')).catch((error: unknown) => {
    dummyHash = undefined;
    throw error;
  });
  return dummyHash;
}
