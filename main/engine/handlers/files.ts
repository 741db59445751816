import type { BridgeHandlers } from '../../../common/bridge';
import type { HandlerContext } from './context';

/** Files going out (uploads) and coming in (attachments, kept on disk for offline use). */
export function fileHandlers({ engine }: HandlerContext): Pick<BridgeHandlers, 'uploads.add' | 'attachments.open'> {
  return {
    'uploads.add': async (args) => {
      await engine.ready;
      return { upload: await engine.requireRuntime().files.add(args) };
    },

    'attachments.open': async (args) => {
      await engine.ready;
      return engine.requireRuntime().files.open(args.attachmentId);
    },
  };
}
