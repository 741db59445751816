import assert from 'node:assert/strict';
import { builtinModules } from 'node:module';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { buildElectronDesk } from '../../scripts/build-electron';

const nodeBuiltins = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);

describe('the Electron bundles (scripts/build-electron.ts)', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'switchboard-desk-build-'));
  after(() => rmSync(outDir, { recursive: true, force: true }));

  it('build main, engine host and preload into self-contained CommonJS files', async () => {
    const { externals } = await buildElectronDesk({ outDir, skipNative: true, skipRenderer: true });
    for (const file of ['main.cjs', 'engine-host.cjs', 'preload.cjs']) assert.ok(existsSync(join(outDir, file)), file);

    // The packaged app ships no node_modules: each bundle may leave only Electron and Node's own modules.
    for (const [bundle, names] of Object.entries(externals)) {
      const foreign = names.filter((name) => name !== 'electron' && !nodeBuiltins.has(name));
      assert.deepEqual(foreign, [], `${bundle} needs ${foreign.join(', ')} at run time`);
    }
    // A sandboxed preload can require only 'electron'.
    assert.deepEqual(externals.preload, ['electron']);
    // The engine's better-sqlite3 goes through the shim that passes `nativeBinding`.
    assert.match(readFileSync(join(outDir, 'engine-host.cjs'), 'utf8'), /nativeBinding/);
  });
});
