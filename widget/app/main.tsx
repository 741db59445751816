// The visitor app, in the widget's frame on the server's origin (`/widget/frame?token=…&host=…`).
import { render } from 'preact';
import { FRAME_PARAMS } from '../protocol';
import { App } from './app';
import { Conversation } from './conversation';
import { hostLink } from './host';

function applyLook(theme: string, color: string): void {
  const root = document.documentElement;
  // Attributes and CSSOM only: the frame's CSP allows no inline style.
  root.dataset.theme = theme;
  if (CSS.supports('color', color)) root.style.setProperty('--accent', color);
}

const FOCUS_TRIES = 20;

/** The first thing to fill in (the client-data form's first field, else the message), once it is drawn. */
function focusFirstField(tries = FOCUS_TRIES): void {
  const target = document.querySelector<HTMLElement>('.details input') ?? document.getElementById('message');
  if (target) target.focus();
  else if (tries > 0) setTimeout(() => focusFirstField(tries - 1), 50);
}

async function main(): Promise<void> {
  const token = new URLSearchParams(location.search).get(FRAME_PARAMS.token) ?? '';
  const conversation = new Conversation(token);
  const host = hostLink();
  const mount = document.getElementById('app');
  if (!mount) return;
  const close = host.embedded ? () => host.post({ sw: 'close' }) : null;
  render(<App conversation={conversation} onClose={close} />, mount);

  conversation.onUnread = (count) => host.post({ sw: 'unread', count });
  host.listen((message) => {
    if (message.sw === 'shown') {
      conversation.setVisible(true, message.page_url);
      focusFirstField();
    } else {
      conversation.setVisible(false);
    }
  });
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && close) close();
  });
  document.addEventListener('visibilitychange', () => conversation.markRead());

  await conversation.boot();
  const data = conversation.state.data;
  document.documentElement.lang = conversation.state.language;
  if (data) {
    applyLook(data.theme, data.color);
    document.title = data.title;
  }
  if (!host.embedded) conversation.setVisible(true);
  host.post({ sw: 'ready', title: data?.title ?? '', color: data?.color ?? '', open: data?.open ?? false });
}

void main();
