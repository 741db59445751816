// The loader's stylesheet, adopted by its shadow root as a constructed sheet: a host page with a
// strict CSP (`style-src 'self'`, no 'unsafe-inline') needs nothing for it, and nothing of it leaks
// into the page or the page's rules into it. `--sw-accent` is the widget's colour.
export const LOADER_CSS = `
:host{all:initial;position:fixed;z-index:2147483000;right:20px;bottom:20px;font:14px/1.3 system-ui,sans-serif;--sw-accent:#2563eb}
.launcher{position:relative;width:56px;height:56px;border:0;border-radius:50%;background:var(--sw-accent);color:#fff;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25);display:flex;align-items:center;justify-content:center;padding:0}
.launcher:focus-visible{outline:3px solid #111;outline-offset:3px}
.launcher svg{width:28px;height:28px;fill:currentColor}
.badge{position:absolute;top:-4px;right:-4px;min-width:20px;height:20px;padding:0 5px;box-sizing:border-box;border-radius:10px;background:#b91c1c;color:#fff;font-size:12px;font-weight:700;line-height:20px;text-align:center}
.badge[hidden],.panel[hidden]{display:none}
.panel{position:fixed;right:20px;bottom:88px;width:380px;height:min(640px,calc(100vh - 108px));border-radius:12px;overflow:hidden;box-shadow:0 8px 30px rgba(0,0,0,.3);background:#fff}
.panel iframe{display:block;width:100%;height:100%;border:0}
@media (max-width:480px){.panel{right:0;bottom:0;width:100vw;height:100vh;height:100dvh;border-radius:0}:host(.open) .launcher{display:none}}
@media (prefers-reduced-motion:no-preference){.launcher{transition:transform .15s}.launcher:hover{transform:scale(1.06)}}
`;

const BUBBLE = 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z';
const CROSS = 'M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4L12 13.4 6.4 19 5 17.6 10.6 12 5 6.4z';

/** The launcher's icon, built with DOM calls (no innerHTML on someone else's page). */
export function icon(open: boolean): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', open ? CROSS : BUBBLE);
  svg.append(path);
  return svg;
}
