// Builds better-sqlite3 for Electron's ABI into out/native/, leaving node_modules/better-sqlite3
// (built for Node: tests, the server, the web desk) untouched. The Electron engine loads this copy
// through better-sqlite3's `nativeBinding` option.
//
//   node scripts/build-electron-native.mjs            # for this OS/arch and the installed Electron
//   node scripts/build-electron-native.mjs --arch arm64
//
// First it asks prebuild-install (better-sqlite3's own installer) for the prebuilt binary of this
// Electron version; where none can be downloaded it compiles with node-gyp against Electron's
// headers. Prints the path of the .node file. `npm start` (when Electron runs) and `npm run dist` call it.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function readVersion(pkg) {
  return JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')).version;
}

/** The folder a build for this Electron version, OS and arch goes to. */
export function nativeTarget({ electronVersion = readVersion('electron'), platform = process.platform, arch = process.arch } = {}) {
  return join(root, 'out', 'native', `electron-${electronVersion}-${platform}-${arch}`);
}

function run(command, args, cwd) {
  // npm's `nodedir` (set on some machines to build against local Node headers) would make a
  // from-source build target Node instead of Electron: drop it for these children.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => key.toLowerCase() !== 'npm_config_nodedir'));
  const result = spawnSync(command, args, { cwd, stdio: 'inherit', env });
  return result.status === 0;
}

function nodeGypScript() {
  try {
    return require.resolve('node-gyp/bin/node-gyp.js');
  } catch {
    // npm ships its own node-gyp.
    const npmRoot = join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
    return existsSync(npmRoot) ? npmRoot : null;
  }
}

export function buildElectronNative({ arch = process.arch, force = false } = {}) {
  const electronVersion = readVersion('electron');
  const target = nativeTarget({ electronVersion, arch });
  const output = join(target, 'better_sqlite3.node');
  if (existsSync(output) && !force) return output;

  const source = dirname(require.resolve('better-sqlite3/package.json'));
  const work = join(target, 'better-sqlite3');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  for (const entry of ['package.json', 'binding.gyp', 'lib', 'src', 'deps']) cpSync(join(source, entry), join(work, entry), { recursive: true });

  const built = join(work, 'build', 'Release', 'better_sqlite3.node');
  const prebuild = require.resolve('prebuild-install/bin.js');
  console.log(`better-sqlite3 for Electron ${electronVersion} (${process.platform}-${arch}): trying a prebuilt binary`);
  let ok = run(process.execPath, [prebuild, '--runtime', 'electron', '--target', electronVersion, '--arch', arch, '--platform', process.platform], work) && existsSync(built);
  if (!ok) {
    const gyp = nodeGypScript();
    if (!gyp) {
      rmSync(work, { recursive: true, force: true });
      throw new Error('no prebuilt better-sqlite3 for this Electron and no node-gyp to compile one');
    }
    console.log('no prebuilt binary: compiling with node-gyp against Electron headers (needs a C++ toolchain)');
    ok = run(process.execPath, [gyp, 'rebuild', '--release', `--target=${electronVersion}`, `--arch=${arch}`, '--runtime=electron', '--dist-url=https://electronjs.org/headers'], work) && existsSync(built);
  }
  if (ok) copyFileSync(built, output);
  rmSync(work, { recursive: true, force: true });
  if (!ok) {
    throw new Error(
      `could not build better-sqlite3 for Electron ${electronVersion}: no prebuilt binary could be downloaded, and compiling needs Electron's headers (network) and a C++ toolchain`,
    );
  }
  return output;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { arch: { type: 'string' }, force: { type: 'boolean' } } });
  try {
    console.log(buildElectronNative({ arch: values.arch ?? process.arch, force: values.force ?? false }));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
