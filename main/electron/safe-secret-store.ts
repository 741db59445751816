// The token's store in the desktop app: encrypted with Electron's safeStorage (Keychain on macOS,
// DPAPI on Windows, libsecret/kwallet on Linux), one file per account under the desk's data.
// Where the OS offers no keychain (Linux without a secret service: safeStorage's `basic_text`),
// it falls back to the engine's FileSecretStore (0600 file) rather than pretend to encrypt.
import { safeStorage } from 'electron';
import { createHash } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FileSecretStore, type SecretStore } from '../engine';

class SafeStorageSecretStore implements SecretStore {
  constructor(private readonly dir: string) {}

  private file(account: string): string {
    return join(this.dir, `${createHash('sha256').update(account).digest('hex').slice(0, 32)}.bin`);
  }

  async get(account: string): Promise<string | null> {
    let encrypted: Buffer;
    try {
      encrypted = await readFile(this.file(account));
    } catch (error) {
      if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return null;
      throw error;
    }
    try {
      return safeStorage.decryptString(encrypted);
    } catch {
      // Encrypted by another OS user or a reset keychain: the session must sign in again.
      return null;
    }
  }

  async set(account: string, secret: string): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const file = this.file(account);
    const partial = `${file}.${process.pid}.tmp`;
    await writeFile(partial, safeStorage.encryptString(secret), { mode: 0o600 });
    await chmod(partial, 0o600);
    await rename(partial, file);
  }

  async delete(account: string): Promise<void> {
    await rm(this.file(account), { force: true });
  }
}

export function desktopSecretStore(deskDataDir: string): { store: SecretStore; encrypted: boolean } {
  const keychain = safeStorage.isEncryptionAvailable() && (process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text');
  if (keychain) return { store: new SafeStorageSecretStore(join(deskDataDir, 'secrets-os')), encrypted: true };
  return { store: new FileSecretStore(join(deskDataDir, 'secrets')), encrypted: false };
}
