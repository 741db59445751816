import { createHash } from 'node:crypto';
import { join } from 'node:path';

/**
 * The desk's data dir:
 *   preferences.json            desk-wide preferences (theme, language, notifications)
 *   session.json                which account is signed in (server URL, user id; never the token)
 *   secrets/                    FileSecretStore's token files (0600), when no OS keychain is used
 *   accounts/{host}-u{id}-{h}/  one folder per server + user:
 *     cache.sqlite              the cache (WAL: also cache.sqlite-wal, -shm)
 *     attachments/{id}/{name}   downloaded attachments (open offline)
 *     outgoing/{uploadId}       files taken for sending, until the message is sent
 */
export interface AccountPaths {
  key: string;
  dir: string;
  database: string;
  attachments: string;
  outgoing: string;
}

export function accountKey(serverUrl: string, userId: number): string {
  const url = new URL(serverUrl);
  const readable = `${url.hostname}${url.port ? `_${url.port}` : ''}`.replace(/[^A-Za-z0-9._-]/g, '_');
  const hash = createHash('sha256').update(`${serverUrl}|${userId}`).digest('hex').slice(0, 8);
  return `${readable}-u${userId}-${hash}`;
}

export function accountPaths(dataDir: string, serverUrl: string, userId: number): AccountPaths {
  const key = accountKey(serverUrl, userId);
  const dir = join(dataDir, 'accounts', key);
  return { key, dir, database: join(dir, 'cache.sqlite'), attachments: join(dir, 'attachments'), outgoing: join(dir, 'outgoing') };
}

export function deskFiles(dataDir: string) {
  return {
    preferences: join(dataDir, 'preferences.json'),
    session: join(dataDir, 'session.json'),
    secrets: join(dataDir, 'secrets'),
  };
}
