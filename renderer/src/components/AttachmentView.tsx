import type { AttachmentView as Attachment } from '../../../common/bridge';
import { useLanguage, useT } from '../i18n/i18n';
import { formatSize } from '../lib/format';
import { useDesk } from '../store/desk-store';
import { Icon } from './Icon';

const INLINE_IMAGES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif']);

/** Where the desk serves an attachment it holds: the web desk at this path, Electron at app://desk/ + the same. */
export function attachmentUrl(id: number): string {
  return `attachments/${id}`;
}

function UploadState({ uploadId }: { uploadId: string }) {
  const t = useT();
  const upload = useDesk((state) => state.uploads[uploadId]);
  if (!upload || upload.state === 'uploaded') return null;
  const percent = upload.size > 0 ? Math.round((upload.sent / upload.size) * 100) : 0;
  return <span className="muted">{upload.state === 'uploading' ? t('composer.uploading', { percent }) : upload.state === 'failed' ? t('composer.uploadFailed', { reason: upload.error ?? '' }) : t('composer.uploadQueued')}</span>;
}

/**
 * A link a customer sent (not a file the server keeps): shown with its host, so the operator sees
 * where it leads before opening it in the browser. The desk never fetches it: in Electron a new
 * window becomes `shell.openExternal` (http(s) only), in the web desk a new tab; no referrer, no opener.
 */
function LinkItem({ name, link }: { name: string; link: NonNullable<Attachment['link']> }) {
  const t = useT();
  const body = (
    <>
      <Icon name="link" size={18} />
      <span className="attachment-name">{name}</span>
      <span className="attachment-host muted">{link.host}</span>
    </>
  );
  if (link.url === null) {
    return (
      <span className="attachment attachment-link is-blocked" title={t('message.linkBlocked')}>
        {body}
      </span>
    );
  }
  return (
    <a className="attachment attachment-link" href={link.url} target="_blank" rel="noopener noreferrer" aria-label={t('message.openLink', { name, host: link.host })}>
      {body}
    </a>
  );
}

export function AttachmentItem({ attachment }: { attachment: Attachment }) {
  const t = useT();
  const language = useLanguage();
  if (attachment.link) return <LinkItem name={attachment.name} link={attachment.link} />;
  const size = formatSize(attachment.size, language);
  if (attachment.id !== null && INLINE_IMAGES.has(attachment.mimeType)) {
    const url = attachmentUrl(attachment.id);
    return (
      <a className="attachment attachment-image" href={url} target="_blank" rel="noopener noreferrer" aria-label={t('message.open', { name: attachment.name })}>
        <img src={url} alt={attachment.name} loading="lazy" decoding="async" />
      </a>
    );
  }
  const body = (
    <>
      <Icon name="file" size={18} />
      <span className="attachment-name">{attachment.name}</span>
      <span className="attachment-size muted">{size}</span>
      {attachment.uploadId && <UploadState uploadId={attachment.uploadId} />}
    </>
  );
  if (attachment.id === null) return <span className="attachment attachment-file">{body}</span>;
  return (
    <a className="attachment attachment-file" href={attachmentUrl(attachment.id)} download={attachment.name} aria-label={t('message.open', { name: attachment.name })}>
      {body}
    </a>
  );
}
