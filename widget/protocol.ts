// What the loader (on the host page) and the visitor app (in the frame, on the server's origin) tell
// each other through postMessage. Each side posts only to the other's exact origin and reads only
// messages from that origin and that window.

export const FRAME_PATH = '/widget/frame';

/** The frame's query: the widget token, and the host page's origin (where the frame posts to). */
export const FRAME_PARAMS = { token: 'token', host: 'host' } as const;

/** Frame → loader. */
export type FrameMessage =
  | { sw: 'ready'; title: string; color: string; open: boolean }
  | { sw: 'close' }
  | { sw: 'unread'; count: number };

/** Loader → frame. */
export type HostMessage = { sw: 'shown'; page_url: string } | { sw: 'hidden' };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

export function readFrameMessage(data: unknown): FrameMessage | undefined {
  if (!isRecord(data)) return undefined;
  switch (data.sw) {
    case 'ready':
      return typeof data.title === 'string' && typeof data.color === 'string' ? { sw: 'ready', title: data.title, color: data.color, open: data.open === true } : undefined;
    case 'close':
      return { sw: 'close' };
    case 'unread':
      return typeof data.count === 'number' ? { sw: 'unread', count: data.count } : undefined;
    default:
      return undefined;
  }
}

export function readHostMessage(data: unknown): HostMessage | undefined {
  if (!isRecord(data)) return undefined;
  if (data.sw === 'shown') return { sw: 'shown', page_url: typeof data.page_url === 'string' ? data.page_url : '' };
  if (data.sw === 'hidden') return { sw: 'hidden' };
  return undefined;
}
