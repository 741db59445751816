// The web desk acts with the signed-in operator's token, so only its own page may drive it.
// Browsers let any site open a WebSocket to 127.0.0.1 and point a hostile DNS name at it, so the
// bridge refuses a foreign `Origin` (cross-site WebSocket hijacking) and every request checks
// `Host` (DNS rebinding).

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

export interface OriginPolicy {
  /** The port the desk listens on. */
  port: number;
  /** Listening on a non-loopback address: any Host name is accepted (the operator chose to expose it). */
  exposed: boolean;
}

function hostPort(host: string): { name: string; port: string } | null {
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::(\d+))?$/.exec(host.trim().toLowerCase());
  if (!match || !match[1]) return null;
  return { name: match[1], port: match[2] ?? '80' };
}

/** Whether a request's `Host` header names this desk. */
export function hostAllowed(host: string | undefined, policy: OriginPolicy): boolean {
  if (!host) return false;
  const parsed = hostPort(host);
  if (!parsed || parsed.port !== String(policy.port)) return false;
  return policy.exposed || LOOPBACK_NAMES.has(parsed.name);
}

/** Whether a WebSocket upgrade comes from the desk's own page (same scheme, host and port). */
export function originAllowed(origin: string | undefined, host: string | undefined, policy: OriginPolicy): boolean {
  if (!origin || !host || !hostAllowed(host, policy)) return false;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.host.toLowerCase() === host.trim().toLowerCase();
}
