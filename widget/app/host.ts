// The frame's side of the postMessage link to the loader: it posts only to the host page's exact
// origin (given in the frame's URL, checked against the browser's own record of the embedding page
// where it keeps one) and reads only that origin's messages from the embedding window.
import { FRAME_PARAMS, readHostMessage, type FrameMessage, type HostMessage } from '../protocol';

export interface HostLink {
  /** False when the frame was opened on its own (not embedded): it is then always shown. */
  embedded: boolean;
  post(message: FrameMessage): void;
  listen(listener: (message: HostMessage) => void): void;
}

function embeddingOrigin(): string | null {
  if (window.parent === window) return null;
  const claimed = new URLSearchParams(location.search).get(FRAME_PARAMS.host);
  if (claimed === null || !URL.canParse(claimed)) return null;
  const origin = new URL(claimed).origin;
  const known = location.ancestorOrigins?.[0];
  return known === undefined || known === origin ? origin : null;
}

export function hostLink(): HostLink {
  const origin = embeddingOrigin();
  return {
    embedded: origin !== null,
    post(message) {
      if (origin !== null) window.parent.postMessage(message, origin);
    },
    listen(listener) {
      window.addEventListener('message', (event) => {
        if (origin === null || event.origin !== origin || event.source !== window.parent) return;
        const message = readHostMessage(event.data);
        if (message) listener(message);
      });
    },
  };
}
