import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import ElectronDatabase, { useNativeBinding } from '../../main/electron/sqlite-binding';

const require = createRequire(import.meta.url);
const nodeBuild = join(dirname(require.resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');

describe('better-sqlite3 with an explicit native binding', () => {
  it('loads the addon from the given file and works like better-sqlite3', () => {
    // Here the Node build stands in for the Electron-ABI build the desktop app points at.
    useNativeBinding(nodeBuild);
    const db = new ElectronDatabase(':memory:');
    db.exec('CREATE TABLE t (x INTEGER)');
    db.prepare('INSERT INTO t (x) VALUES (?)').run(41);
    assert.deepEqual(db.prepare('SELECT x + 1 AS y FROM t').get(), { y: 42 });
    db.close();
  });

  it('uses that file, not the default lookup: a missing binding fails', () => {
    useNativeBinding(join(dirname(nodeBuild), 'no-such-addon.node'));
    assert.throws(() => new ElectronDatabase(':memory:'), /no-such-addon/);
    useNativeBinding(nodeBuild);
  });
});
