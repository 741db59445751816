// Type-checks each environment with its own tsconfig (its own `types`/`lib`), so that,
// for instance, the renderer cannot see Node's globals. Import boundaries between
// environments are enforced by ESLint (eslint.config.js).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const projects = [
  'common/tsconfig.json',
  'node/tsconfig.json',
  'server/tsconfig.json',
  'main/engine/tsconfig.json',
  'main/web/tsconfig.json',
  'main/electron/tsconfig.json',
  'preload/tsconfig.json',
  'renderer/tsconfig.json',
  'widget/tsconfig.json',
  'tsconfig.tools.json',
].filter((project) => existsSync(project));

let failed = false;
for (const project of projects) {
  const started = Date.now();
  const result = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', project], { stdio: 'inherit' });
  console.log(`tsc -p ${project}: ${result.status === 0 ? 'ok' : 'FAILED'} (${Date.now() - started} ms)`);
  if (result.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
