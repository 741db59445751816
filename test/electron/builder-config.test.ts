import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const require = createRequire(import.meta.url);
const root = join(import.meta.dirname, '..', '..');
// js-yaml and app-builder-lib come with electron-builder: the same parser and schema it uses.
const yaml: { load(text: string): unknown } = require('js-yaml');
const { validateConfiguration }: { validateConfiguration(config: unknown, logger: unknown): Promise<void> } = require('app-builder-lib/out/util/config/config');
const { DebugLogger }: { DebugLogger: new (enabled: boolean) => unknown } = require('builder-util');

interface BuilderConfig {
  appId: string;
  productName: string;
  asarUnpack: string[];
  npmRebuild: boolean;
  protocols: Array<{ schemes: string[] }>;
  fileAssociations: unknown[];
  publish: Array<{ provider: string; url: string }>;
  extraMetadata: { main: string };
  win: { target: string[]; icon: string };
  mac: { target: string[]; icon: string };
  linux: { target: string[]; icon: string };
}

const config = yaml.load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

describe('electron-builder.yml', () => {
  it("passes electron-builder's own schema", async () => {
    await validateConfiguration(config, new DebugLogger(false));
  });

  it('builds NSIS on Windows, dmg + zip on macOS, AppImage + deb on Linux', () => {
    assert.deepEqual(config.win.target, ['nsis']);
    assert.deepEqual(config.mac.target, ['dmg', 'zip']);
    assert.deepEqual(config.linux.target, ['AppImage', 'deb']);
    assert.equal(config.appId, 'com.switchboard.desk');
    assert.equal(config.productName, 'Switchboard');
  });

  it('registers switchboard:// links and no file types', () => {
    assert.deepEqual(config.protocols.flatMap((p) => p.schemes), ['switchboard']);
    assert.deepEqual(config.fileAssociations, []);
  });

  it('keeps native modules out of the asar and node_modules unrebuilt', () => {
    assert.ok(config.asarUnpack.includes('out/desk/native/**'));
    assert.ok(config.asarUnpack.includes('**/*.node'));
    assert.equal(config.npmRebuild, false);
    assert.equal(config.extraMetadata.main, 'out/desk/main.cjs');
  });

  it('publishes to a generic update feed', () => {
    assert.deepEqual(config.publish, [{ provider: 'generic', url: '${env.SWITCHBOARD_UPDATE_URL}' }]);
  });

  it('has every icon each target needs', () => {
    assert.ok(existsSync(join(root, config.win.icon)));
    assert.ok(existsSync(join(root, config.mac.icon)));
    for (const size of [16, 24, 32, 48, 64, 128, 256, 512, 1024]) assert.ok(existsSync(join(root, config.linux.icon, `${size}x${size}.png`)), `${size} px`);
    const ico = readFileSync(join(root, config.win.icon));
    assert.equal(ico.readUInt16LE(2), 1, 'an .ico file');
    assert.ok(ico.readUInt16LE(4) >= 7, 'with the sizes from 16 to 256 px');
    assert.equal(readFileSync(join(root, config.mac.icon)).subarray(0, 4).toString('latin1'), 'icns');
    for (const file of ['tray/tray.png', 'tray/tray@2x.png', 'tray/trayTemplate.png', 'tray/trayTemplate@2x.png', 'badges/badge-1.png', 'badges/badge-9plus.png']) {
      assert.ok(existsSync(join(root, 'resources', file)), file);
    }
  });
});
