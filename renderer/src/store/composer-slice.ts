import { isOverMessageLength } from '../../../common/text-length';
import type { UploadView } from '../../../common/bridge';
import { bridge } from './bridge-ref';
import { shownError } from './errors';
import type { ShownError, SliceCreator } from './types';

export interface ComposerSlice {
  /** Unsent text per chat (kept while switching chats). */
  drafts: Record<number, string>;
  /** Files taken for the next message of each chat (upload ids, in order). */
  attached: Record<number, string[]>;
  uploads: Record<string, UploadView>;
  sendError: ShownError | null;
  setDraft(chatId: number, text: string): void;
  attachFiles(chatId: number, files: readonly File[]): Promise<void>;
  detach(chatId: number, uploadId: string): void;
  uploadProgress(upload: UploadView): void;
  send(chatId: number): Promise<boolean>;
}

let localUploads = 0;

/** A file being read and handed to the engine: shown at once, replaced by the engine's upload. */
function placeholder(file: File): UploadView {
  return { uploadId: `local-${++localUploads}`, name: file.name, mimeType: file.type || null, size: file.size, sent: 0, state: 'queued', error: null };
}

export const createComposerSlice: SliceCreator<ComposerSlice> = (set, get) => ({
  drafts: {},
  attached: {},
  uploads: {},
  sendError: null,

  setDraft(chatId, text) {
    set({ drafts: { ...get().drafts, [chatId]: text }, sendError: null });
  },

  async attachFiles(chatId, files) {
    for (const file of files) {
      const local = placeholder(file);
      set({
        uploads: { ...get().uploads, [local.uploadId]: local },
        attached: { ...get().attached, [chatId]: [...(get().attached[chatId] ?? []), local.uploadId] },
      });
      const swap = (upload: UploadView | null) => {
        const { [local.uploadId]: _gone, ...uploads } = get().uploads;
        const ids = (get().attached[chatId] ?? []).flatMap((id) => (id === local.uploadId ? (upload ? [upload.uploadId] : []) : [id]));
        set({ uploads: upload ? { ...uploads, [upload.uploadId]: { ...upload, ...(get().uploads[upload.uploadId] ?? {}) } } : uploads, attached: { ...get().attached, [chatId]: ids } });
      };
      try {
        const bytes = new Uint8Array(await file.arrayBuffer());
        const { upload } = await bridge().invoke('uploads.add', { name: file.name, bytes, ...(file.type ? { mimeType: file.type } : {}) });
        swap(upload);
      } catch (error) {
        const shown = shownError(error);
        set({ uploads: { ...get().uploads, [local.uploadId]: { ...local, state: 'failed', error: shown.message } } });
      }
    }
  },

  detach(chatId, uploadId) {
    const { [uploadId]: _gone, ...uploads } = get().uploads;
    set({ uploads, attached: { ...get().attached, [chatId]: (get().attached[chatId] ?? []).filter((id) => id !== uploadId) } });
  },

  uploadProgress(upload) {
    set({ uploads: { ...get().uploads, [upload.uploadId]: upload } });
  },

  async send(chatId) {
    const text = (get().drafts[chatId] ?? '').trim();
    const uploadIds = (get().attached[chatId] ?? []).filter((id) => !id.startsWith('local-'));
    const blocked = (get().attached[chatId] ?? []).some((id) => id.startsWith('local-') || get().uploads[id]?.state === 'failed');
    if ((text === '' && uploadIds.length === 0) || blocked || isOverMessageLength(text)) return false;
    try {
      const { message } = await bridge().invoke('chat.send', { chatId, ...(text ? { text } : {}), ...(uploadIds.length ? { uploadIds } : {}) });
      set({ drafts: { ...get().drafts, [chatId]: '' }, attached: { ...get().attached, [chatId]: [] }, sendError: null });
      get().addOwnMessage(message);
      return true;
    } catch (error) {
      set({ sendError: shownError(error) });
      return false;
    }
  },
});
