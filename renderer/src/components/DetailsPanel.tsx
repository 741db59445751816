import { useLanguage, useT } from '../i18n/i18n';
import { formatDateTime } from '../lib/format';
import { useDesk } from '../store/desk-store';
import { Avatar } from './Avatar';
import { Icon } from './Icon';

export function DetailsPanel() {
  const t = useT();
  const language = useLanguage();
  const row = useDesk((state) => state.openChatRow);
  const toggleDetails = useDesk((state) => state.toggleDetails);
  if (!row) return null;
  const { email, phone } = row.userMetadata;
  const extra = Object.entries(row.userMetadata).filter(([key, value]) => !['name', 'email', 'phone'].includes(key) && (typeof value === 'string' || typeof value === 'number'));
  return (
    <aside className="details" aria-label={t('details.title')}>
      <header className="details-head">
        <h2>{t('details.title')}</h2>
        <button type="button" className="icon-button icon-button-small" aria-label={t('details.close')} onClick={toggleDetails}>
          <Icon name="x" size={14} />
        </button>
      </header>
      <div className="details-who">
        <Avatar name={row.title} size="lg" />
        <strong>{row.title}</strong>
      </div>
      <dl className="details-list">
        {typeof email === 'string' && email && (
          <>
            <dt>{t('details.email')}</dt>
            <dd>
              <a href={`mailto:${email}`}>{email}</a>
            </dd>
          </>
        )}
        {typeof phone === 'string' && phone && (
          <>
            <dt>{t('details.phone')}</dt>
            <dd>{phone}</dd>
          </>
        )}
        <dt>{t('details.externalId')}</dt>
        <dd className="mono">{row.externalUserId}</dd>
        {extra.map(([key, value]) => (
          <div key={key} className="details-pair">
            <dt>{key}</dt>
            <dd>{String(value)}</dd>
          </div>
        ))}
        {row.contact && (
          <>
            <dt>{t('details.contact')}</dt>
            <dd className="details-contact">
              <strong>{row.contact.name}</strong>
              {row.contact.company && <span>{row.contact.company}</span>}
              {row.contact.email && <a href={`mailto:${row.contact.email}`}>{row.contact.email}</a>}
              {row.contact.phone && <span>{row.contact.phone}</span>}
            </dd>
          </>
        )}
        <dt>{t('details.source')}</dt>
        <dd>{row.source.name}</dd>
        <dt>{t('details.department')}</dt>
        <dd>{row.department?.name ?? '—'}</dd>
        <dt>{t('details.status')}</dt>
        <dd>
          <span className={`status status-${row.status}`}>{t(`status.${row.status}`)}</span>
        </dd>
        <dt>{t('details.assignee')}</dt>
        <dd>{row.assignedToMe ? t('chat.assignedToYou') : (row.assignee?.name ?? t('chat.unassigned'))}</dd>
        <dt>{t('details.started')}</dt>
        <dd>{formatDateTime(row.createdAt, language)}</dd>
        <dt>{t('details.chatId')}</dt>
        <dd className="mono">#{row.id}</dd>
      </dl>
    </aside>
  );
}
