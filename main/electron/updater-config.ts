// Where the desk looks for updates, decided before electron-updater is touched.
// Order: SWITCHBOARD_UPDATE_URL in the environment, then `updateUrl` in {userData}/desk.json (what an
// administrator deploys), then the feed baked in at build time (electron-builder's app-update.yml).
// The desk never updates from the chat server a user typed in: a server is not a software publisher.

export const UPDATE_CHECK_INTERVAL_MS = 24 * 60 * 60 * 1000;

export type UpdateFeed =
  | { enabled: false; reason: string }
  | {
      enabled: true;
      /** null: use the feed electron-builder wrote into the app (app-update.yml). */
      feedUrl: string | null;
      source: 'environment' | 'desk.json' | 'built-in';
      checkIntervalMs: number;
    };

export interface UpdateFeedInput {
  /** `app.isPackaged`: development runs never update themselves. */
  isPackaged: boolean;
  env: Readonly<Record<string, string | undefined>>;
  /** Parsed {userData}/desk.json, or null when there is none. */
  deskConfig: unknown;
  /** Whether resources/app-update.yml exists in the packaged app. */
  hasBuiltInFeed: boolean;
}

/** An update feed must be http(s) without credentials; returned with exactly one trailing slash. */
export function normalizeFeedUrl(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.hostname === '' || url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') return null;
  url.pathname = url.pathname.replace(/\/*$/, '/');
  return url.toString();
}

function isOff(value: unknown): boolean {
  return value === false || value === 'off' || value === '0' || value === 'false';
}

export function resolveUpdateFeed({ isPackaged, env, deskConfig, hasBuiltInFeed }: UpdateFeedInput): UpdateFeed {
  if (!isPackaged) return { enabled: false, reason: 'development build: updates are off' };
  const file = typeof deskConfig === 'object' && deskConfig !== null ? deskConfig : {};
  if (isOff(env.SWITCHBOARD_UPDATES) || ('updates' in file && isOff(file.updates))) {
    return { enabled: false, reason: 'updates are turned off by configuration' };
  }
  const fromEnv = env.SWITCHBOARD_UPDATE_URL;
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    const feedUrl = normalizeFeedUrl(fromEnv);
    if (!feedUrl) return { enabled: false, reason: `SWITCHBOARD_UPDATE_URL is not an http(s) URL: ${fromEnv}` };
    return { enabled: true, feedUrl, source: 'environment', checkIntervalMs: UPDATE_CHECK_INTERVAL_MS };
  }
  if ('updateUrl' in file && file.updateUrl !== undefined && file.updateUrl !== null) {
    const feedUrl = typeof file.updateUrl === 'string' ? normalizeFeedUrl(file.updateUrl) : null;
    if (!feedUrl) return { enabled: false, reason: 'desk.json: updateUrl is not an http(s) URL' };
    return { enabled: true, feedUrl, source: 'desk.json', checkIntervalMs: UPDATE_CHECK_INTERVAL_MS };
  }
  if (hasBuiltInFeed) return { enabled: true, feedUrl: null, source: 'built-in', checkIntervalMs: UPDATE_CHECK_INTERVAL_MS };
  return { enabled: false, reason: 'no update feed configured (set SWITCHBOARD_UPDATE_URL or updateUrl in desk.json)' };
}
