/** The engine process's command line: `--data-dir DIR --sqlite-binding FILE`. */
export function parseHostArgs(argv: readonly string[]): { dataDir: string; sqliteBinding: string | null } | null {
  let dataDir: string | null = null;
  let sqliteBinding: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--data-dir') dataDir = argv[++i] ?? null;
    else if (argv[i] === '--sqlite-binding') sqliteBinding = argv[++i] ?? null;
  }
  return dataDir ? { dataDir, sqliteBinding } : null;
}
