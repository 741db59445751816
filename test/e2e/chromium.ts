// How every browser here is launched: Debian's Chromium (never a downloaded one), with the flags
// this sandboxed, offline machine needs. Shared by the Playwright config and the UI benchmark.
export const CHROMIUM_EXECUTABLE = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];
