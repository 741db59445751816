// Settings the page is started with: `<meta name="switchboard-…">` tags (the web desk adds them),
// or the same names as query parameters (`?server=…`, which an Electron shell can pass).

export function pageSetting(name: 'server' | 'demo'): string | null {
  const meta = document.querySelector<HTMLMetaElement>(`meta[name="switchboard-${name}"]`);
  if (meta?.content) return meta.content;
  return new URLSearchParams(window.location.search).get(name);
}
