import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DEFAULT_PREFERENCES, LANGUAGES, NOTIFY_SCOPES, THEMES, type Preferences } from '../../common/bridge';

// Two small JSON files beside the account caches: what is shared by all accounts of the desk.

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return null;
  }
}

async function writeJson(file: string, value: unknown): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.tmp`;
  await writeFile(partial, JSON.stringify(value, null, 2), { mode: 0o600 });
  await rename(partial, file);
}

function pick<T extends string>(allowed: readonly T[], value: unknown): T | undefined {
  return allowed.find((candidate) => candidate === value);
}

/** Anything unknown or malformed falls back to the default, field by field. */
export function sanitisePreferences(value: unknown, base: Preferences = DEFAULT_PREFERENCES): Preferences {
  if (typeof value !== 'object' || value === null) return { ...base };
  const record: Record<string, unknown> = { ...value };
  return {
    notify: pick(NOTIFY_SCOPES, record.notify) ?? base.notify,
    sound: typeof record.sound === 'boolean' ? record.sound : base.sound,
    theme: pick(THEMES, record.theme) ?? base.theme,
    language: record.language === null ? null : (pick(LANGUAGES, record.language) ?? base.language),
  };
}

export async function loadPreferences(file: string): Promise<Preferences> {
  return sanitisePreferences(await readJson(file));
}

export async function savePreferences(file: string, preferences: Preferences): Promise<void> {
  await writeJson(file, preferences);
}

export interface SessionPointer {
  serverUrl: string;
  userId: number;
}

export async function loadSessionPointer(file: string): Promise<SessionPointer | null> {
  const value = await readJson(file);
  if (typeof value !== 'object' || value === null || !('serverUrl' in value) || !('userId' in value)) return null;
  return typeof value.serverUrl === 'string' && typeof value.userId === 'number' ? { serverUrl: value.serverUrl, userId: value.userId } : null;
}

export async function saveSessionPointer(file: string, pointer: SessionPointer): Promise<void> {
  await writeJson(file, pointer);
}

export async function clearSessionPointer(file: string): Promise<void> {
  await rm(file, { force: true });
}
