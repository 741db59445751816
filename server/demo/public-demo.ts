// The demo's passwords and secrets are published (README, seed): a demo server others can reach is
// one anyone can sign in to as admin and post signed webhooks to. So the CLI keeps demo mode on
// loopback unless told explicitly that exposing it is meant.

/** Whether a listen address keeps the server to this machine: loopback names and addresses only. */
export function isLoopbackHost(host: string): boolean {
  const name = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return name === 'localhost' || name === '::1' || /^(::ffff:)?127(\.\d{1,3}){3}$/.test(name);
}

export function publicDemoRefusal(host: string): string {
  return [
    `Refusing to listen on ${host} in demo mode: the demo's passwords and secrets are published`,
    '(admin@example.com / password, webhook secret demo-webhook-secret, realtime secret switchboard-secret),',
    'so anyone who reaches this address could sign in as an administrator and post signed webhooks.',
    'Listen on 127.0.0.1, or pass --allow-public-demo (SWITCHBOARD_ALLOW_PUBLIC_DEMO=1) if that is what you want.',
  ].join('\n');
}
