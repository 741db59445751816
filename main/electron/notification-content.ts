import type { BridgeEvents } from '../../common/bridge';

const MAX_TITLE = 80;
const MAX_BODY = 200;

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** What an OS notification shows for an engine `notification` event: short, one line each, silent unless sound is on. */
export function notificationContent(payload: BridgeEvents['notification']): { title: string; body: string; silent: boolean } {
  return { title: clip(payload.title, MAX_TITLE) || 'Switchboard', body: clip(payload.body, MAX_BODY), silent: !payload.sound };
}
