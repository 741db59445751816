// The embed: `<script src="https://HOST/widget.js" data-token="…" async></script>`. It draws the
// launcher in an open shadow root (a constructed stylesheet, so a strict CSP needs no inline style),
// and only when the visitor shows intent (hover, focus, click) creates the conversation frame, on
// the server's origin. It writes no cookie and no storage, ever: the conversation's token lives in
// the frame's own storage. Nothing of it covers the page until the frame reports it is ready.
import type { WidgetDataResponse } from '../../common/widget-api';
import { FRAME_PARAMS, FRAME_PATH, readFrameMessage, type HostMessage } from '../protocol';
import { loaderWords, type LoaderWords } from './strings';
import { icon, LOADER_CSS } from './styles';

function embedScript(): HTMLScriptElement | undefined {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement && current.dataset.token) return current;
  // Loaded some other way (a tag manager): the first script naming this loader with a token.
  for (const script of Array.from(document.querySelectorAll<HTMLScriptElement>('script[data-token][src]'))) {
    if (/\/widget\.js(\?|$)/.test(script.src)) return script;
  }
  return undefined;
}

function start(script: HTMLScriptElement): void {
  const token = script.dataset.token ?? '';
  const serverOrigin = new URL(script.src, location.href).origin;
  let words: LoaderWords = loaderWords('auto');

  const host = document.createElement('div');
  host.setAttribute('data-switchboard-widget', '');
  const root = host.attachShadow({ mode: 'open' });
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(LOADER_CSS);
  // The widget's colour: a second constructed sheet, so the host element never carries a style attribute.
  const accent = new CSSStyleSheet();
  root.adoptedStyleSheets = [sheet, accent];
  const paint = (color: string) => {
    if (CSS.supports('color', color)) accent.replaceSync(`:host{--sw-accent:${color}}`);
  };

  const panel = document.createElement('div');
  panel.className = 'panel';
  panel.hidden = true;
  const launcher = document.createElement('button');
  launcher.type = 'button';
  launcher.className = 'launcher';
  launcher.setAttribute('aria-expanded', 'false');
  const badge = document.createElement('span');
  badge.className = 'badge';
  badge.hidden = true;
  badge.setAttribute('aria-hidden', 'true');
  root.append(panel, launcher);

  let frame: HTMLIFrameElement | undefined;
  let ready = false;
  let wantOpen = false;
  let unread = 0;

  const label = () => {
    const base = wantOpen && ready ? words.close : words.open;
    launcher.setAttribute('aria-label', unread > 0 ? `${base} (${words.unread(unread)})` : base);
    launcher.replaceChildren(icon(wantOpen && ready), badge);
    badge.textContent = String(unread);
    badge.hidden = unread === 0;
  };
  const post = (message: HostMessage) => frame?.contentWindow?.postMessage(message, serverOrigin);
  const show = () => {
    const visible = wantOpen && ready;
    panel.hidden = !visible;
    host.classList.toggle('open', visible);
    launcher.setAttribute('aria-expanded', String(visible));
    label();
    if (!ready) return;
    // The frame takes the focus with it, so the keyboard goes on inside the conversation.
    if (visible) frame?.focus();
    post(visible ? { sw: 'shown', page_url: location.href } : { sw: 'hidden' });
  };

  const createFrame = () => {
    if (frame) return;
    frame = document.createElement('iframe');
    frame.title = words.frame;
    frame.setAttribute('allow', 'clipboard-write');
    // Beside the loader's own URL, so a server under a path prefix works too.
    const src = new URL(FRAME_PATH.slice(1), script.src);
    src.searchParams.set(FRAME_PARAMS.token, token);
    src.searchParams.set(FRAME_PARAMS.host, location.origin);
    frame.src = src.href;
    panel.append(frame);
  };

  window.addEventListener('message', (event) => {
    if (event.origin !== serverOrigin || !frame || event.source !== frame.contentWindow) return;
    const message = readFrameMessage(event.data);
    if (!message) return;
    switch (message.sw) {
      case 'ready':
        ready = true;
        paint(message.color);
        show();
        return;
      case 'close':
        wantOpen = false;
        show();
        launcher.focus();
        return;
      case 'unread':
        unread = message.count;
        label();
        return;
      default: {
        const unreachable: never = message;
        return unreachable;
      }
    }
  });

  launcher.addEventListener('pointerenter', createFrame);
  launcher.addEventListener('focus', createFrame);
  launcher.addEventListener('click', () => {
    createFrame();
    wantOpen = !(wantOpen && ready);
    show();
  });
  label();

  // The widget's colour, words and whether it is on at all, before anything else: a public read, no credentials.
  fetch(new URL(`chat/widget_data.json?token=${encodeURIComponent(token)}`, script.src), { credentials: 'omit' })
    .then((response): Promise<WidgetDataResponse> | undefined => (response.ok ? response.json() : undefined))
    .then((data) => {
      if (data && !data.active) return;
      if (data) {
        words = loaderWords(data.locale);
        paint(data.color);
        if (frame) frame.title = words.frame;
      }
      label();
      document.body.append(host);
    })
    .catch(() => document.body.append(host));
}

const script = embedScript();
if (script) {
  if (document.body) start(script);
  else document.addEventListener('DOMContentLoaded', () => start(script), { once: true });
}
