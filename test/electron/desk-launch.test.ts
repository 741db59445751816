import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { electronStatus, startArgs } from '../../scripts/desk-launch';

const installed = { resolveBinary: () => '/repo/node_modules/electron/dist/electron', exists: () => true };

describe('npm start: Electron or the web desk', () => {
  it('opens Electron when the binary exists and there is a display', () => {
    assert.deepEqual(electronStatus({ ...installed, platform: 'linux', env: { DISPLAY: ':0' } }), { usable: true, binary: '/repo/node_modules/electron/dist/electron' });
    assert.equal(electronStatus({ ...installed, platform: 'linux', env: { WAYLAND_DISPLAY: 'wayland-0' } }).usable, true);
    assert.equal(electronStatus({ ...installed, platform: 'darwin', env: {} }).usable, true);
    assert.equal(electronStatus({ ...installed, platform: 'win32', env: {} }).usable, true);
  });

  it('says why not: no binary (skipped download), binary gone, no display, or asked for the web desk', () => {
    const skipped = electronStatus({
      platform: 'linux',
      env: { DISPLAY: ':0' },
      resolveBinary: () => {
        throw new Error('Electron failed to install correctly, please delete node_modules/electron and try installing again');
      },
      exists: () => true,
    });
    assert.deepEqual(skipped, { usable: false, reason: 'the Electron binary is not installed (npm ci ran with ELECTRON_SKIP_BINARY_DOWNLOAD=1, or its download failed)' });
    assert.deepEqual(electronStatus({ ...installed, exists: () => false, platform: 'linux', env: { DISPLAY: ':0' } }), {
      usable: false,
      reason: 'the Electron binary is missing at /repo/node_modules/electron/dist/electron',
    });
    assert.deepEqual(electronStatus({ ...installed, platform: 'linux', env: {} }), { usable: false, reason: 'there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set)' });
    assert.equal(electronStatus({ ...installed, platform: 'darwin', env: { SWITCHBOARD_WEB: '1' } }).usable, false);
  });

  it('takes the server from --server or SWITCHBOARD_SERVER, else none (a demo server starts)', () => {
    assert.deepEqual(startArgs([], {}), { server: null, web: false });
    assert.deepEqual(startArgs(['--server', 'https://chat.example.com/'], {}), { server: 'https://chat.example.com', web: false });
    assert.deepEqual(startArgs(['--server=http://127.0.0.1:8080', '--web'], {}), { server: 'http://127.0.0.1:8080', web: true });
    assert.deepEqual(startArgs([], { SWITCHBOARD_SERVER: 'http://10.1.1.1:8080' }), { server: 'http://10.1.1.1:8080', web: false });
  });
});
