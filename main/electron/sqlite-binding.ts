// better-sqlite3 as the engine sees it inside the Electron app: the same class, constructed with
// the `nativeBinding` option pointing at the Electron-ABI build (scripts/build-electron-native.mjs).
// The Electron bundle (scripts/build-electron.ts) resolves the engine's `better-sqlite3` imports
// to this module, so node_modules keeps its Node build for the tests, the server and the web desk.
import BetterSqlite3 from 'better-sqlite3';

let nativeBinding: string | null = null;

export function useNativeBinding(path: string): void {
  nativeBinding = path;
}

class ElectronDatabase extends BetterSqlite3 {
  constructor(filename?: string | Buffer, options: BetterSqlite3.Options = {}) {
    super(filename, nativeBinding === null ? options : { ...options, nativeBinding });
  }
}

export default ElectronDatabase;
