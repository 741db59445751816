// Decides how `npm start` shows the desk: the Electron app where it can run, else the web desk.
// Pure, so each reason is tested; scripts/start.ts does the launching.

export type ElectronStatus = { usable: true; binary: string } | { usable: false; reason: string };

export interface ElectronProbe {
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
  /** `require('electron')`: the binary's path, or throws when the package has no binary. */
  resolveBinary(): string;
  exists(path: string): boolean;
}

export function electronStatus({ platform, env, resolveBinary, exists }: ElectronProbe): ElectronStatus {
  if (env.SWITCHBOARD_WEB === '1') return { usable: false, reason: 'SWITCHBOARD_WEB=1 asks for the web desk' };
  let binary: string;
  try {
    binary = resolveBinary();
  } catch {
    return { usable: false, reason: 'the Electron binary is not installed (npm ci ran with ELECTRON_SKIP_BINARY_DOWNLOAD=1, or its download failed)' };
  }
  if (!exists(binary)) return { usable: false, reason: `the Electron binary is missing at ${binary}` };
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
    return { usable: false, reason: 'there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set)' };
  }
  return { usable: true, binary };
}

export interface StartArgs {
  /** The chat server to use; null: start a local demo server. */
  server: string | null;
  web: boolean;
}

export function startArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): StartArgs {
  let server = env.SWITCHBOARD_SERVER?.trim() || null;
  let web = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--web') web = true;
    else if (arg === '--server' && argv[i + 1]) server = argv[++i] ?? null;
    else if (arg?.startsWith('--server=')) server = arg.slice('--server='.length) || null;
  }
  return { server: server?.replace(/\/+$/, '') ?? null, web };
}
