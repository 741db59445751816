import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultWindowState, parseWindowState, restoreWindowState } from '../../main/electron/window-state';

const laptop = { x: 0, y: 0, width: 1440, height: 875 };
const external = { x: 1440, y: -200, width: 2560, height: 1400 };

describe('window state', () => {
  it('reads a saved state and refuses malformed files', () => {
    assert.deepEqual(parseWindowState({ bounds: { x: 5, y: 6, width: 900, height: 700 }, maximized: true }), {
      bounds: { x: 5, y: 6, width: 900, height: 700 },
      maximized: true,
      fullScreen: false,
    });
    for (const bad of [null, 'x', {}, { bounds: null }, { bounds: { x: 1, y: 1, width: 0, height: 5 } }, { bounds: { x: 1.5, y: 1, width: 900, height: 700 } }, { bounds: { x: '1', y: 1, width: 900, height: 700 } }, { bounds: { x: 1, y: 1, width: Infinity, height: 700 } }]) {
      assert.equal(parseWindowState(bad), null, JSON.stringify(bad));
    }
  });

  it('with nothing saved, centres the default size on the primary screen', () => {
    assert.deepEqual(restoreWindowState(null, [laptop], laptop), defaultWindowState(laptop));
    const state = defaultWindowState(laptop);
    assert.equal(state.bounds.x, (1440 - state.bounds.width) / 2);
    assert.ok(state.bounds.width <= 1440 && state.bounds.height <= 875);
  });

  it('comes back where it was when that screen is still there', () => {
    const saved = { bounds: { x: 2000, y: 100, width: 1300, height: 900 }, maximized: false, fullScreen: false };
    assert.deepEqual(restoreWindowState(saved, [laptop, external], laptop), saved);
  });

  it('keeps the maximized flag', () => {
    const saved = { bounds: { x: 100, y: 100, width: 1000, height: 700 }, maximized: true, fullScreen: false };
    assert.equal(restoreWindowState(saved, [laptop], laptop).maximized, true);
  });

  it('moves a window from an unplugged monitor onto the primary screen', () => {
    const saved = { bounds: { x: 2000, y: 100, width: 1300, height: 900 }, maximized: false, fullScreen: false };
    const restored = restoreWindowState(saved, [laptop], laptop);
    assert.deepEqual(restored.bounds, defaultWindowState(laptop).bounds);
  });

  it('moves a window whose title bar is off screen (above the top), so it can be grabbed', () => {
    const saved = { bounds: { x: 100, y: -600, width: 1000, height: 700 }, maximized: false, fullScreen: false };
    const restored = restoreWindowState(saved, [laptop], laptop);
    assert.ok(restored.bounds.y >= laptop.y);
  });

  it('pulls a window hanging off the edge inside, and shrinks one bigger than the screen', () => {
    const saved = { bounds: { x: 1000, y: 50, width: 1200, height: 2000 }, maximized: false, fullScreen: false };
    const restored = restoreWindowState(saved, [laptop], laptop);
    assert.equal(restored.bounds.height, laptop.height);
    assert.equal(restored.bounds.width, 1200);
    assert.equal(restored.bounds.x + restored.bounds.width, laptop.width);
    assert.equal(restored.bounds.y, 0);
  });

  it('grows a window saved smaller than the minimum, within the screen', () => {
    const saved = { bounds: { x: 10, y: 10, width: 200, height: 100 }, maximized: false, fullScreen: false };
    const restored = restoreWindowState(saved, [laptop], laptop);
    assert.ok(restored.bounds.width >= 800 && restored.bounds.height >= 520);
  });
});
