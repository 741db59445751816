import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { autostartDesktopEntry, autostartPath, launchCommand, startedHidden } from '../../main/electron/auto-launch-entry';
import { deskDataDir, deskPaths, unpackedPath } from '../../main/electron/paths';

describe('auto-launch (Linux autostart entry)', () => {
  it('starts the AppImage itself when running from one, hidden in the tray', () => {
    assert.equal(launchCommand('/tmp/.mount_Switch/switchboard', '/home/u/Apps/Switchboard.AppImage'), '"/home/u/Apps/Switchboard.AppImage" --hidden');
    assert.equal(launchCommand('/opt/Switchboard/switchboard', undefined), '"/opt/Switchboard/switchboard" --hidden');
  });

  it('quotes characters the desktop entry spec reserves', () => {
    assert.equal(launchCommand('/home/a "b"/$x`y`\\z', undefined), '"/home/a \\"b\\"/\\$x\\`y\\`\\\\z" --hidden');
  });

  it('writes a valid autostart entry under the XDG config folder', () => {
    const entry = autostartDesktopEntry('"/opt/Switchboard/switchboard" --hidden');
    assert.match(entry, /^\[Desktop Entry\]\n/);
    assert.match(entry, /\nExec="\/opt\/Switchboard\/switchboard" --hidden\n/);
    assert.match(entry, /\nType=Application\n/);
    assert.equal(autostartPath('/home/u/.config'), '/home/u/.config/autostart/switchboard-desk.desktop');
  });

  it('knows when it was started at login', () => {
    assert.equal(startedHidden(['/opt/s', '--hidden'], false), true);
    assert.equal(startedHidden(['/opt/s'], true), true);
    assert.equal(startedHidden(['/opt/s', 'switchboard://chat/1'], false), false);
  });
});

describe('desk paths', () => {
  it('loads native modules from app.asar.unpacked in an installed app, unchanged in development', () => {
    assert.equal(unpackedPath('/opt/Switchboard/resources/app.asar/out/desk/native/better_sqlite3.node'), '/opt/Switchboard/resources/app.asar.unpacked/out/desk/native/better_sqlite3.node');
    assert.equal(unpackedPath('C:\\Program Files\\Switchboard\\resources\\app.asar\\out\\desk\\native\\x.node'), 'C:\\Program Files\\Switchboard\\resources\\app.asar.unpacked\\out\\desk\\native\\x.node');
    assert.equal(unpackedPath('/work/main/out/desk/native/better_sqlite3.node'), '/work/main/out/desk/native/better_sqlite3.node');
    assert.equal(deskPaths('/opt/Switchboard/resources/app.asar/out/desk').sqliteBinding, '/opt/Switchboard/resources/app.asar.unpacked/out/desk/native/better_sqlite3.node');
  });

  it('finds resources at the app root and keeps data under userData', () => {
    assert.equal(deskPaths('/work/main/out/desk').resourcesDir, '/work/main/resources');
    assert.equal(deskDataDir('/home/u/.config/Switchboard'), '/home/u/.config/Switchboard/desk');
  });
});
