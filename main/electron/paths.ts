// Where the desk's files are, in development (`out/desk/` in the checkout) and in an installed app
// (`app.asar/out/desk/`, native modules unpacked beside the archive). The bundle is built into
// out/desk/, so the app root is two levels up in both cases.
import { join } from 'node:path';

export interface DeskPaths {
  /** The folder holding main.cjs, preload.cjs and engine-host.cjs. */
  bundleDir: string;
  preload: string;
  engineHost: string;
  /** The built renderer served at app://desk/. */
  rendererDir: string;
  /** Icons, tray images, badges. */
  resourcesDir: string;
  /** better-sqlite3 built for Electron's ABI (scripts/build-electron-native.mjs). */
  sqliteBinding: string;
}

/** A file inside app.asar that the OS must load from disk (native modules) lives in app.asar.unpacked. */
export function unpackedPath(path: string): string {
  return path.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
}

export function deskPaths(bundleDir: string): DeskPaths {
  const appRoot = join(bundleDir, '..', '..');
  return {
    bundleDir,
    preload: join(bundleDir, 'preload.cjs'),
    engineHost: join(bundleDir, 'engine-host.cjs'),
    rendererDir: join(bundleDir, 'renderer'),
    resourcesDir: join(appRoot, 'resources'),
    sqliteBinding: unpackedPath(join(bundleDir, 'native', 'better_sqlite3.node')),
  };
}

/** Where the desk keeps its data under Electron's userData folder (README: "Where the data lives"). */
export function deskDataDir(userData: string): string {
  return join(userData, 'desk');
}
