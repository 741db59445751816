// `npm run dist`: installers for the current OS into dist/desk/ — Windows NSIS, macOS dmg + zip,
// Linux AppImage + deb (electron-builder.yml). Builds out/desk/ first (bundles, renderer,
// better-sqlite3 for Electron). SWITCHBOARD_UPDATE_URL sets the update feed baked into the app;
// without it the installers carry no feed (desk.json or the environment can still give one).
//   npm run dist             # installers for this OS
//   npm run dist -- --dir    # only the unpacked app (quick check)
import { build } from 'electron-builder';
import { parseArgs } from 'node:util';
import { buildElectronDesk, ROOT } from './build-electron';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { dir: { type: 'boolean' } } });
  await buildElectronDesk();
  const feed = process.env.SWITCHBOARD_UPDATE_URL?.trim();
  if (feed) console.log(`update feed baked into the app: ${feed}`);
  else console.log('SWITCHBOARD_UPDATE_URL is not set: the installers carry no update feed (README, "Updates").');
  const files = await build({
    projectDir: ROOT,
    publish: 'never',
    // electron-builder.yml, less the feed when there is none (its ${env.…} would be empty).
    config: feed ? { extends: './electron-builder.yml' } : { extends: './electron-builder.yml', publish: null },
    ...(values.dir ? { dir: true } : {}),
  });
  for (const file of files) console.log(file);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
