// Builds the renderer (React, renderer/) with Vite into renderer/dist, the folder both the web
// desk and the Electron shell serve. `npm run build:renderer` runs it; the web desk runs it at
// start when the build is missing or older than its sources.
import react from '@vitejs/plugin-react';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const RENDERER_DIR = join(ROOT, 'renderer');
export const RENDERER_DIST = join(RENDERER_DIR, 'dist');

function newestMtime(dir: string, skip: ReadonlySet<string>): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (skip.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path, skip));
    else newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** True when renderer/dist is missing or older than the renderer's (or common/'s) sources. */
export function rendererBuildStale(): boolean {
  const index = join(RENDERER_DIST, 'index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  const sources = Math.max(newestMtime(RENDERER_DIR, new Set(['dist', 'node_modules'])), newestMtime(join(ROOT, 'common'), new Set()));
  return sources > built;
}

export async function buildRenderer(): Promise<void> {
  await build({
    root: RENDERER_DIR,
    // Relative asset URLs: the same build is served from http://host/ and from Electron's app://desk/.
    base: './',
    configFile: false,
    logLevel: 'warn',
    plugins: [react()],
    build: {
      outDir: RENDERER_DIST,
      emptyOutDir: true,
      target: 'es2022',
      sourcemap: false,
      chunkSizeWarningLimit: 1024,
    },
  });
}

export async function ensureRendererBuilt(log: (message: string) => void = () => undefined): Promise<void> {
  if (!rendererBuildStale()) return;
  log('building the desk UI (renderer/) …');
  await buildRenderer();
}

const invokedDirectly = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  buildRenderer().then(
    () => console.log(`renderer built into ${RENDERER_DIST}`),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
