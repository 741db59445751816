import { ensureRendererBuilt } from '../../main/web/build-renderer';

/** The suite drives the built UI: build it once, if it is missing or older than its sources. */
export default async function globalSetup(): Promise<void> {
  await ensureRendererBuilt((message) => console.log(message));
}
