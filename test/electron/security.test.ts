import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checklistViolations,
  contentSecurityPolicy,
  DESK_ENTRY_URL,
  isPermissionGranted,
  isSafeExternalUrl,
  isTrustedSender,
  navigationDecision,
  secureWebPreferences,
  windowOpenDecision,
} from '../../main/electron/security';
import { deskWindowOptions } from '../../main/electron/window-options';

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp.split(';').map((part) => {
      const [name = '', ...values] = part.trim().split(/\s+/);
      return [name, values];
    }),
  );
}

describe('window options', () => {
  const options = deskWindowOptions({ bounds: { x: 10, y: 20, width: 1200, height: 800 }, maximized: false, fullScreen: false }, '/app/preload.cjs', '/app/icon.png');

  it('satisfy the security checklist: isolated, sandboxed, no Node in the page', () => {
    const prefs = options.webPreferences;
    assert.ok(prefs);
    assert.deepEqual(checklistViolations(prefs), []);
    assert.equal(prefs.contextIsolation, true);
    assert.equal(prefs.sandbox, true);
    assert.equal(prefs.nodeIntegration, false);
    assert.equal(prefs.nodeIntegrationInWorker, false);
    assert.equal(prefs.nodeIntegrationInSubFrames, false);
    assert.equal(prefs.webSecurity, true);
    assert.equal(prefs.allowRunningInsecureContent, false);
    assert.equal(prefs.webviewTag, false);
    assert.equal(prefs.preload, '/app/preload.cjs');
  });

  it('open hidden at the restored bounds, with a minimum size', () => {
    assert.equal(options.show, false);
    assert.deepEqual([options.x, options.y, options.width, options.height], [10, 20, 1200, 800]);
    assert.ok((options.minWidth ?? 0) >= 640 && (options.minHeight ?? 0) >= 400);
  });

  it('the checklist check catches each unsafe setting', () => {
    const safe = secureWebPreferences('/p.cjs');
    assert.deepEqual(checklistViolations({ ...safe, contextIsolation: false }), ['contextIsolation must be true']);
    assert.deepEqual(checklistViolations({ ...safe, sandbox: false }), ['sandbox must be true']);
    assert.deepEqual(checklistViolations({ ...safe, nodeIntegration: true }), ['nodeIntegration must be false']);
    assert.deepEqual(checklistViolations({ ...safe, webSecurity: false }), ['webSecurity must stay on']);
    assert.deepEqual(checklistViolations({ ...safe, webviewTag: true }), ['webviewTag must be false']);
    // Electron's defaults are not trusted: an unset nodeIntegration or sandbox fails too.
    assert.equal(checklistViolations({ preload: '/p.cjs' }).length, 3);
  });
});

describe('content security policy', () => {
  const csp = directives(contentSecurityPolicy());

  it('allows scripts only from the desk itself: no inline, no eval, no remote', () => {
    assert.deepEqual(csp.get('script-src'), ["'self'"]);
    assert.deepEqual(csp.get('default-src'), ["'none'"]);
    for (const [name, values] of csp) {
      for (const value of values) {
        assert.ok(!["'unsafe-inline'", "'unsafe-eval'", "'wasm-unsafe-eval'", '*', 'http:', 'https:'].includes(value), `${name} allows ${value}`);
      }
    }
  });

  it('forbids plugins, frames, framing, <base> and form posts', () => {
    assert.deepEqual(csp.get('object-src'), ["'none'"]);
    assert.deepEqual(csp.get('frame-src'), ["'none'"]);
    assert.deepEqual(csp.get('frame-ancestors'), ["'none'"]);
    assert.deepEqual(csp.get('base-uri'), ["'none'"]);
    assert.deepEqual(csp.get('form-action'), ["'none'"]);
  });

  it('lets the page reach nothing on the network: the engine does that', () => {
    assert.deepEqual(csp.get('connect-src'), ["'self'"]);
  });
});

describe('navigation guard', () => {
  it('allows the desk itself', () => {
    assert.deepEqual(navigationDecision(DESK_ENTRY_URL), { action: 'allow' });
    assert.deepEqual(navigationDecision('app://desk/index.html#/chat/4'), { action: 'allow' });
  });

  it('refuses everything else, sending http(s) links to the OS browser', () => {
    assert.deepEqual(navigationDecision('https://example.com/help'), { action: 'deny', openExternally: 'https://example.com/help' });
    assert.deepEqual(navigationDecision('http://example.com/'), { action: 'deny', openExternally: 'http://example.com/' });
    for (const url of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'app://evil/index.html',
      'app://desk.evil.com/index.html',
      'app://user@desk/index.html',
      'switchboard://chat/1',
      'chrome://settings',
      'not a url',
      '',
    ]) {
      assert.deepEqual(navigationDecision(url), { action: 'deny', openExternally: null }, url);
    }
  });
});

describe('window-open guard', () => {
  it('never opens a window; http(s) goes to the OS browser, the rest nowhere', () => {
    assert.deepEqual(windowOpenDecision('https://example.com/a?b=c'), { action: 'deny', openExternally: 'https://example.com/a?b=c' });
    assert.deepEqual(windowOpenDecision(DESK_ENTRY_URL), { action: 'deny', openExternally: null });
    assert.deepEqual(windowOpenDecision('file:///C:/Windows/System32/calc.exe'), { action: 'deny', openExternally: null });
    assert.deepEqual(windowOpenDecision('smb://attacker/share'), { action: 'deny', openExternally: null });
    assert.deepEqual(windowOpenDecision('ms-msdt:/id PCWDiagnostic'), { action: 'deny', openExternally: null });
    assert.deepEqual(windowOpenDecision('javascript:void(0)'), { action: 'deny', openExternally: null });
  });

  it('shell.openExternal gets only http(s) links without credentials', () => {
    assert.equal(isSafeExternalUrl('https://docs.example.com/x'), true);
    assert.equal(isSafeExternalUrl('https://user:pass@example.com/'), false);
    assert.equal(isSafeExternalUrl('HTTPS://EXAMPLE.COM/'), true);
    assert.equal(isSafeExternalUrl('mailto:a@example.com'), false);
    assert.equal(isSafeExternalUrl(`https://example.com/${'a'.repeat(9000)}`), false);
  });
});

describe('permissions', () => {
  it('are denied by default, also to the desk', () => {
    for (const permission of ['notifications', 'media', 'geolocation', 'openExternal', 'clipboard-read', 'fileSystem', 'unknown']) {
      assert.equal(isPermissionGranted(permission, DESK_ENTRY_URL), false, permission);
    }
  });

  it('allow only writing to the clipboard, and only to the desk', () => {
    assert.equal(isPermissionGranted('clipboard-sanitized-write', DESK_ENTRY_URL), true);
    assert.equal(isPermissionGranted('clipboard-sanitized-write', 'https://example.com/'), false);
  });
});

describe('IPC sender check', () => {
  const desk = { webContentsId: 7, frameUrl: 'app://desk/index.html', isMainFrame: true };

  it('accepts the main frame of the desk window', () => {
    assert.equal(isTrustedSender(desk, 7), true);
  });

  it('refuses other windows, subframes, other origins, gone frames, and any sender before the window exists', () => {
    assert.equal(isTrustedSender({ ...desk, webContentsId: 8 }, 7), false);
    assert.equal(isTrustedSender({ ...desk, isMainFrame: false }, 7), false);
    assert.equal(isTrustedSender({ ...desk, frameUrl: 'https://evil.example/' }, 7), false);
    assert.equal(isTrustedSender({ ...desk, frameUrl: 'file:///tmp/x.html' }, 7), false);
    assert.equal(isTrustedSender({ ...desk, frameUrl: null }, 7), false);
    assert.equal(isTrustedSender(desk, null), false);
  });
});
