// Builds what the Electron desk runs, into out/desk/:
//   main.cjs         the main process (main/electron/main.ts)
//   engine-host.cjs  the sync engine's utility process (main/electron/engine-host.ts)
//   preload.cjs      the sandboxed preload (preload/index.ts)
//   renderer/        the built UI (renderer/dist), served at app://desk/
//   native/          better-sqlite3 for Electron's ABI (scripts/build-electron-native.mjs)
// Each bundle holds all its JavaScript dependencies, so the packaged app ships no node_modules.
//
//   npx tsx scripts/build-electron.ts [--skip-native] [--skip-renderer]
import { build, type Metafile, type Plugin } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const OUT_DIR = join(ROOT, 'out', 'desk');

export interface BuildOptions {
  outDir?: string;
  /** Skip better-sqlite3 for Electron (needs the network or a C++ toolchain). */
  skipNative?: boolean;
  skipRenderer?: boolean;
}

export interface BuildResult {
  outDir: string;
  /** Modules each bundle leaves to the runtime (must be Electron and Node's own). */
  externals: Record<string, string[]>;
}

const BUNDLES = ['main', 'engine-host', 'preload'] as const;
type BundleName = (typeof BUNDLES)[number];
const ENTRIES: Record<BundleName, string> = {
  main: 'main/electron/main.ts',
  'engine-host': 'main/electron/engine-host.ts',
  preload: 'preload/index.ts',
};

function externalImports(metafile: Metafile): string[] {
  const names = new Set<string>();
  for (const input of Object.values(metafile.inputs)) {
    for (const imported of input.imports) if (imported.external) names.add(imported.path);
  }
  return [...names].sort();
}

const SQLITE_SHIM = join(ROOT, 'main', 'electron', 'sqlite-binding.ts');

/** The engine's `better-sqlite3` becomes main/electron/sqlite-binding.ts (same class, Electron's native build). */
const electronSqlite: Plugin = {
  name: 'electron-sqlite',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^better-sqlite3$/ }, (args) => (args.importer === SQLITE_SHIM ? undefined : { path: SQLITE_SHIM }));
  },
};

async function bundle(name: BundleName, outDir: string): Promise<string[]> {
  const result = await build({
    entryPoints: [join(ROOT, ENTRIES[name])],
    outfile: join(outDir, `${name}.cjs`),
    bundle: true,
    // The preload runs sandboxed: CommonJS with `require('electron')` only.
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['electron'],
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: name === 'engine-host' ? [electronSqlite] : [],
  });
  return externalImports(result.metafile);
}

function packageScripts(): Record<string, string> {
  const pkg: { scripts?: Record<string, string> } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  return pkg.scripts ?? {};
}

function copyRenderer(outDir: string): void {
  const built = join(ROOT, 'renderer', 'dist');
  if (packageScripts()['build:renderer']) {
    const result = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build:renderer'], { cwd: ROOT, stdio: 'inherit', shell: process.platform === 'win32' });
    if (result.status !== 0) throw new Error('npm run build:renderer failed');
  }
  if (!existsSync(join(built, 'index.html'))) throw new Error('the renderer is not built (renderer/dist/index.html is missing)');
  cpSync(built, join(outDir, 'renderer'), { recursive: true });
}

function copyNative(outDir: string): void {
  const result = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-electron-native.mjs')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (result.status !== 0) throw new Error('building better-sqlite3 for Electron failed (see above)');
  const file = result.stdout.trim().split('\n').at(-1) ?? '';
  mkdirSync(join(outDir, 'native'), { recursive: true });
  copyFileSync(file, join(outDir, 'native', 'better_sqlite3.node'));
}

export async function buildElectronDesk(options: BuildOptions = {}): Promise<BuildResult> {
  const outDir = options.outDir ?? OUT_DIR;
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const externals: Record<string, string[]> = {};
  for (const name of BUNDLES) externals[name] = await bundle(name, outDir);
  if (!options.skipRenderer) copyRenderer(outDir);
  if (!options.skipNative) copyNative(outDir);
  return { outDir, externals };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { 'skip-native': { type: 'boolean' }, 'skip-renderer': { type: 'boolean' } } });
  buildElectronDesk({ skipNative: values['skip-native'], skipRenderer: values['skip-renderer'] }).then(
    ({ outDir }) => console.log(`desk built in ${outDir}`),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
