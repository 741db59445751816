// Where the frame keeps its visitor's conversation: its own localStorage (the server's origin,
// partitioned by the browser under the host site), one space per widget shared by the browser's
// tabs. A browser that refuses storage to a cross-site frame gets memory instead: the conversation
// then lasts as long as the page.
import type { VisitorSpaceCreated } from '../../common/visitor-api';

const memory = new Map<string, string>();

function keyOf(widgetToken: string): string {
  return `switchboard.space.${widgetToken}`;
}

function read(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return memory.get(key) ?? null;
  }
}

function parse(raw: string | null): VisitorSpaceCreated | null {
  if (raw === null) return null;
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== 'object' || value === null) return null;
    const token: unknown = Reflect.get(value, 'space_token');
    const id: unknown = Reflect.get(value, 'space_id');
    return typeof token === 'string' && typeof id === 'number' ? { space_token: token, space_id: id } : null;
  } catch {
    return null;
  }
}

export function loadSpace(widgetToken: string): VisitorSpaceCreated | null {
  return parse(read(keyOf(widgetToken)));
}

export function saveSpace(widgetToken: string, space: VisitorSpaceCreated | null): void {
  const key = keyOf(widgetToken);
  const raw = space === null ? null : JSON.stringify(space);
  try {
    if (raw === null) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, raw);
  } catch {
    if (raw === null) memory.delete(key);
    else memory.set(key, raw);
  }
}

/** Another tab of this browser started (or forgot) the conversation. */
export function onSpaceChange(widgetToken: string, listener: (space: VisitorSpaceCreated | null) => void): void {
  const key = keyOf(widgetToken);
  window.addEventListener('storage', (event) => {
    if (event.key === key) listener(parse(event.newValue));
  });
}
