import { ensureRendererBuilt } from '../../main/web/build-renderer';
import { ensureWidgetBuilt } from '../../widget/build';

/** The suite drives the built UI and widget: build each once, if it is missing or older than its sources. */
export default async function globalSetup(): Promise<void> {
  await ensureRendererBuilt((message) => console.log(message));
  await ensureWidgetBuilt((message) => console.log(message));
}
