// Builds the website widget with esbuild into widget/dist: the loader a host page embeds
// (`/widget.js`, one classic script) and the visitor app its frame runs (`/widget/frame`: an ES
// module and a stylesheet). Output names carry a content hash and `manifest.json`, written last and
// atomically, names them, so a server reading the folder while another process builds sees one
// whole build or the previous one. The server runs this at start when the build is missing or
// older than its sources (as the web desk does for renderer/); `npm run build:widget` by hand.
import type { Metafile } from 'esbuild';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const WIDGET_DIR = join(ROOT, 'widget');
export const WIDGET_DIST = join(WIDGET_DIR, 'dist');
const MANIFEST = 'manifest.json';

/** Budgets of DESIGN §9, gzip bytes. */
export const LOADER_BUDGET = 5 * 1024;
export const APP_BUDGET = 40 * 1024;

export interface WidgetManifest {
  /** File names inside the dist folder. */
  loader: string;
  app: string;
  style: string;
}

function newestMtime(dir: string, skip: ReadonlySet<string>): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (skip.has(entry.name)) continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path, skip) : statSync(path).mtimeMs);
  }
  return newest;
}

export function readWidgetManifest(dist = WIDGET_DIST): WidgetManifest | undefined {
  const path = join(dist, MANIFEST);
  if (!existsSync(path)) return undefined;
  const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const [loader, app, style] = ['loader', 'app', 'style'].map((key) => Reflect.get(parsed, key));
  if (typeof loader !== 'string' || typeof app !== 'string' || typeof style !== 'string') return undefined;
  return { loader, app, style };
}

/** True when widget/dist is missing or older than the widget's (or common/'s) sources. */
export function widgetBuildStale(): boolean {
  const manifest = join(WIDGET_DIST, MANIFEST);
  if (!existsSync(manifest) || !readWidgetManifest()) return true;
  const built = statSync(manifest).mtimeMs;
  const sources = Math.max(newestMtime(WIDGET_DIR, new Set(['dist'])), newestMtime(join(ROOT, 'common'), new Set()));
  return sources > built;
}

function outputOf(metafile: Metafile, entry: string): string {
  for (const [output, meta] of Object.entries(metafile.outputs)) {
    if (meta.entryPoint !== undefined && resolve(ROOT, meta.entryPoint) === resolve(WIDGET_DIR, entry)) return basename(output);
  }
  throw new Error(`esbuild produced nothing for ${entry}`);
}

const BUILT_FILE = /^(loader|app|style)-[A-Z0-9]+\.(js|css)$/;
/** Earlier builds stay a minute for a server reading them right now (each keeps what it read in memory). */
const PRUNE_AFTER_MS = 60_000;

function pruneOldBuilds(dist: string, manifest: WidgetManifest): void {
  const current = new Set([manifest.loader, manifest.app, manifest.style]);
  for (const name of readdirSync(dist)) {
    if (!BUILT_FILE.test(name) || current.has(name)) continue;
    const path = join(dist, name);
    if (Date.now() - statSync(path).mtimeMs > PRUNE_AFTER_MS) rmSync(path, { force: true });
  }
}

export async function buildWidget(dist = WIDGET_DIST): Promise<WidgetManifest> {
  // esbuild only when building: a server started from a finished build needs no dev dependency.
  const { build } = await import('esbuild');
  // Built aside, then each file renamed into place: a server reading dist meanwhile never sees half a file.
  const staging = join(dist, `.build-${process.pid}-${Date.now()}`);
  mkdirSync(staging, { recursive: true });
  const common = { absWorkingDir: ROOT, bundle: true, minify: true, write: true, metafile: true, outdir: staging, entryNames: '[name]-[hash]', legalComments: 'none', logLevel: 'warning' } as const;
  // The loader runs on any site, in any browser a shop supports: a classic script, no modules.
  const loader = await build({ ...common, entryPoints: { loader: join(WIDGET_DIR, 'loader/loader.ts') }, format: 'iife', target: 'es2019', platform: 'browser' });
  const app = await build({
    ...common,
    entryPoints: { app: join(WIDGET_DIR, 'app/main.tsx'), style: join(WIDGET_DIR, 'app/app.css') },
    format: 'esm',
    target: 'es2020',
    platform: 'browser',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const manifest: WidgetManifest = {
    loader: outputOf(loader.metafile, 'loader/loader.ts'),
    app: outputOf(app.metafile, 'app/main.tsx'),
    style: outputOf(app.metafile, 'app/app.css'),
  };
  for (const name of [manifest.loader, manifest.app, manifest.style]) renameSync(join(staging, name), join(dist, name));
  writeFileSync(join(staging, MANIFEST), JSON.stringify(manifest));
  renameSync(join(staging, MANIFEST), join(dist, MANIFEST));
  rmSync(staging, { recursive: true, force: true });
  pruneOldBuilds(dist, manifest);
  return manifest;
}

/** Gzip sizes of a build, for the size check. */
export function gzipSizes(manifest: WidgetManifest, dist = WIDGET_DIST): { loader: number; app: number; style: number } {
  const size = (file: string) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
  return { loader: size(manifest.loader), app: size(manifest.app), style: size(manifest.style) };
}

let building: Promise<void> | undefined;

/** Builds once per process when stale; concurrent callers wait for the same build. */
export function ensureWidgetBuilt(log: (message: string) => void = () => undefined): Promise<void> {
  if (!widgetBuildStale()) return Promise.resolve();
  building ??= (async () => {
    log('building the website widget (widget/) …');
    await buildWidget();
  })().finally(() => {
    building = undefined;
  });
  return building;
}

const invokedDirectly = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  buildWidget().then(
    (manifest) => {
      const sizes = gzipSizes(manifest);
      console.log(`widget built into ${WIDGET_DIST}: loader ${sizes.loader} B gzip, app ${sizes.app} B + css ${sizes.style} B gzip`);
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
