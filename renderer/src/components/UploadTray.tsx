import { useLanguage, useT } from '../i18n/i18n';
import { formatSize } from '../lib/format';
import { useDesk } from '../store/desk-store';
import { Icon } from './Icon';

const EMPTY: string[] = [];

/** Files taken for the next message, with the progress of their upload. */
export function UploadTray({ chatId }: { chatId: number }) {
  const t = useT();
  const language = useLanguage();
  const ids = useDesk((state) => state.attached[chatId] ?? EMPTY);
  const uploads = useDesk((state) => state.uploads);
  const detach = useDesk((state) => state.detach);
  if (ids.length === 0) return null;
  return (
    <ul className="upload-tray" aria-label={t('composer.attachments')}>
      {ids.map((id) => {
        const upload = uploads[id];
        if (!upload) return null;
        const percent = upload.size > 0 ? Math.min(100, Math.round((upload.sent / upload.size) * 100)) : 0;
        const state =
          upload.state === 'failed'
            ? t('composer.uploadFailed', { reason: upload.error ?? t('error.generic') })
            : id.startsWith('local-')
              ? t('composer.preparing')
              : upload.state === 'uploaded'
                ? t('composer.uploaded')
                : upload.state === 'uploading'
                  ? t('composer.uploading', { percent })
                  : t('composer.uploadQueued');
        return (
          <li key={id} className={`upload upload-${upload.state}`}>
            <Icon name="file" size={16} />
            <span className="upload-body">
              <span className="upload-name">{upload.name}</span>
              <span className="upload-state muted">
                {formatSize(upload.size, language)} · {state}
              </span>
              <progress max={100} value={upload.state === 'uploaded' ? 100 : percent} aria-label={`${upload.name}: ${state}`} />
            </span>
            <button type="button" className="icon-button icon-button-small" aria-label={t('composer.remove', { name: upload.name })} onClick={() => detach(chatId, id)}>
              <Icon name="x" size={14} />
            </button>
          </li>
        );
      })}
    </ul>
  );
}
