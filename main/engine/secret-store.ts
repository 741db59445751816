import { createHash } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Where the access token lives. The engine never writes the token anywhere else and never logs it.
 * Electron implements this with `safeStorage` (OS keychain / DPAPI / libsecret); plain Node uses
 * `FileSecretStore`.
 */
export interface SecretStore {
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  delete(account: string): Promise<void>;
}

/**
 * The Node fallback (headless web desk, tests): one file per account, readable by the OS user only
 * (mode 0600 in a 0700 folder). The token is NOT encrypted here — file permissions are the only
 * protection, like `~/.ssh` keys without a passphrase. Use the Electron desk where an OS keychain exists.
 */
export class FileSecretStore implements SecretStore {
  constructor(private readonly dir: string) {}

  private file(account: string): string {
    return join(this.dir, `${createHash('sha256').update(account).digest('hex').slice(0, 32)}.secret`);
  }

  async get(account: string): Promise<string | null> {
    try {
      const value = (await readFile(this.file(account), 'utf8')).trim();
      return value === '' ? null : value;
    } catch (error) {
      if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return null;
      throw error;
    }
  }

  async set(account: string, secret: string): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await chmod(this.dir, 0o700);
    const file = this.file(account);
    const partial = `${file}.${process.pid}.tmp`;
    await writeFile(partial, secret, { mode: 0o600 });
    await chmod(partial, 0o600);
    await rename(partial, file);
  }

  async delete(account: string): Promise<void> {
    await rm(this.file(account), { force: true });
  }
}
