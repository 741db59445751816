import { useEffect, useState } from 'react';
import { useLanguage, useT } from '../i18n/i18n';
import { formatClock } from '../lib/format';
import { useDesk } from '../store/desk-store';
import { Icon } from './Icon';
import { NotificationPrompt } from './NotificationPrompt';

function useSecondsUntil(at: number | null): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (at === null) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [at]);
  return at === null ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

function OfflineBanner() {
  const t = useT();
  const language = useLanguage();
  const connection = useDesk((state) => state.connection);
  const queued = useDesk((state) => state.outbox.filter((entry) => entry.state !== 'failed').length);
  const offline = connection.kind === 'offline' ? connection : null;
  const seconds = useSecondsUntil(offline?.nextAttemptAt ?? null);
  if (!offline) return null;
  return (
    <div className="banner banner-offline" role="alert" aria-label={t('conn.offline')}>
      <Icon name="offline" />
      <span>
        <strong>{t('banner.offline')}</strong> {offline.since > 0 && t('banner.offlineSince', { time: formatClock(offline.since, language) })}{' '}
        {seconds !== null && seconds > 0 && t('banner.retryIn', { seconds })} {queued > 0 && t('banner.queued', { count: queued })}
      </span>
    </div>
  );
}

function LinkBanner() {
  const t = useT();
  const link = useDesk((state) => state.link);
  if (link !== 'lost') return null;
  return (
    <div className="banner banner-offline" role="alert">
      <Icon name="offline" />
      <span>{t('banner.linkLost')}</span>
    </div>
  );
}

export function Banners() {
  return (
    <>
      <LinkBanner />
      <OfflineBanner />
      <NotificationPrompt />
    </>
  );
}
