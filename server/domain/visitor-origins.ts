// Which web pages may talk to a widget: the sites in its `allowed_domains`, any site while that list
// is empty. An entry is a host name (`shop.example.com`), optionally with a port (`localhost:8080`),
// or `*.` before a name for its subdomains (`*.example.com`: `eu.example.com`, not `example.com`).

/** Whether a page at `origin` (an Origin header: `https://shop.example.com`) may use a widget allowing `allowedDomains`. */
export function originAllowed(origin: string, allowedDomains: readonly string[]): boolean {
  if (allowedDomains.length === 0) return true;
  if (!URL.canParse(origin)) return false;
  const url = new URL(origin);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return false;
  const hostname = url.hostname.toLowerCase();
  const host = url.host.toLowerCase();
  return allowedDomains.some((entry) => {
    const domain = entry.trim().toLowerCase();
    const target = domain.includes(':') ? host : hostname;
    if (domain.startsWith('*.')) return target.endsWith(domain.slice(1)) && target.length > domain.length - 1;
    return target === domain;
  });
}
