// Electron's security checklist as pure data and predicates, so each rule is unit-tested in Node
// and the Electron glue (window.ts, ipc.ts) only applies them.
import type { WebPreferences } from 'electron';
import { isSafeExternalUrl } from '../../node/external-links';

/** The renderer is served from this privileged scheme (desk-protocol.ts), never from file:// or http. */
export const DESK_SCHEME = 'app';
export const DESK_HOST = 'desk';
export const DESK_ORIGIN = `${DESK_SCHEME}://${DESK_HOST}`;
export const DESK_ENTRY_URL = `${DESK_ORIGIN}/index.html`;

/**
 * The renderer's Content-Security-Policy. Scripts and styles only from the desk itself (no inline
 * script, no eval); the renderer talks to nothing over the network (the engine does), so
 * `connect-src` is the desk only; no plugins, frames, forms or `<base>` tricks.
 */
export const CSP_DIRECTIVES: ReadonlyArray<readonly [string, string]> = [
  ['default-src', "'none'"],
  ['script-src', "'self'"],
  ['style-src', "'self'"],
  ['img-src', "'self' data: blob:"],
  ['font-src', "'self' data:"],
  ['media-src', "'self' blob:"],
  ['connect-src', "'self'"],
  ['worker-src', "'self'"],
  ['manifest-src', "'self'"],
  ['object-src', "'none'"],
  ['frame-src', "'none'"],
  ['child-src', "'none'"],
  ['frame-ancestors', "'none'"],
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
];

export function contentSecurityPolicy(): string {
  return CSP_DIRECTIVES.map(([name, value]) => `${name} ${value}`).join('; ');
}

/** The window's webPreferences: isolated, sandboxed, no Node anywhere in the page. */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: true,
  };
}

/** What is wrong with a set of webPreferences, by the checklist; empty when it passes. */
export function checklistViolations(prefs: WebPreferences): string[] {
  const problems: string[] = [];
  if (prefs.contextIsolation !== true) problems.push('contextIsolation must be true');
  if (prefs.sandbox !== true) problems.push('sandbox must be true');
  if (prefs.nodeIntegration !== false) problems.push('nodeIntegration must be false');
  if (prefs.nodeIntegrationInWorker === true) problems.push('nodeIntegrationInWorker must be false');
  if (prefs.nodeIntegrationInSubFrames === true) problems.push('nodeIntegrationInSubFrames must be false');
  if (prefs.webSecurity === false) problems.push('webSecurity must stay on');
  if (prefs.allowRunningInsecureContent === true) problems.push('allowRunningInsecureContent must be false');
  if (prefs.webviewTag === true) problems.push('webviewTag must be false');
  if (prefs.experimentalFeatures === true) problems.push('experimentalFeatures must be false');
  return problems;
}

function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** True only for pages of the desk itself (`app://desk/...`). */
export function isDeskUrl(url: string): boolean {
  const parsed = parseUrl(url);
  return parsed !== null && parsed.protocol === `${DESK_SCHEME}:` && parsed.host === DESK_HOST && parsed.username === '' && parsed.password === '';
}

// The rule for what the OS browser may open lives with the engine's link rules (node/).
export { isSafeExternalUrl };

export type NavigationDecision = { action: 'allow' } | { action: 'deny'; openExternally: string | null };

/** `will-navigate` / `will-redirect`: stay inside the desk; an http(s) link goes to the OS browser instead. */
export function navigationDecision(url: string): NavigationDecision {
  if (isDeskUrl(url)) return { action: 'allow' };
  return { action: 'deny', openExternally: isSafeExternalUrl(url) ? url : null };
}

/** `setWindowOpenHandler`: the desk never opens windows of its own; http(s) links open in the OS browser. */
export function windowOpenDecision(url: string): { action: 'deny'; openExternally: string | null } {
  return { action: 'deny', openExternally: isSafeExternalUrl(url) ? url : null };
}

/** Permissions the desk's page may have; everything else (camera, geolocation, notifications, …) is denied. */
const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

export function isPermissionGranted(permission: string, requestingUrl: string): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && isDeskUrl(requestingUrl);
}

export interface IpcSender {
  /** `event.sender.id`. */
  webContentsId: number;
  /** `event.senderFrame?.url`; null when the frame is gone. */
  frameUrl: string | null;
  /** `event.senderFrame?.parent === null`. */
  isMainFrame: boolean;
}

/** Every IPC message must come from the main frame of our own window, showing the desk. */
export function isTrustedSender(sender: IpcSender, deskWebContentsId: number | null): boolean {
  return (
    deskWebContentsId !== null &&
    sender.webContentsId === deskWebContentsId &&
    sender.isMainFrame &&
    sender.frameUrl !== null &&
    isDeskUrl(sender.frameUrl)
  );
}
