import { useId, useState } from 'react';
import { LANGUAGES, NOTIFY_SCOPES, THEMES, type Language, type NotifyScope, type Theme } from '../../../../common/bridge';
import { LANGUAGE_NAMES, useT } from '../../i18n/i18n';
import { notificationsSupported, requestNotifications } from '../../lib/web-notifications';
import { useDesk } from '../../store/desk-store';

function isTheme(value: string): value is Theme {
  return THEMES.some((theme) => theme === value);
}
function isLanguage(value: string): value is Language {
  return LANGUAGES.some((language) => language === value);
}
function isScope(value: string): value is NotifyScope {
  return NOTIFY_SCOPES.some((scope) => scope === value);
}

function BrowserNotifications() {
  const t = useT();
  const [permission, setPermission] = useState(() => (notificationsSupported() ? Notification.permission : null));
  if (permission === null) return null;
  return (
    <div className="setting-row">
      <span>{t('settings.notifications')}</span>
      {permission === 'granted' ? (
        <span className="muted">{t('settings.notificationsOn')}</span>
      ) : permission === 'denied' ? (
        <span className="muted">{t('settings.notificationsOff')}</span>
      ) : (
        <button type="button" className="button button-small" onClick={() => void requestNotifications().then(setPermission)}>
          {t('settings.notificationsAsk')}
        </button>
      )}
    </div>
  );
}

/** The desk's own preferences (kept by the engine, on this machine). */
export function GeneralSection() {
  const t = useT();
  const preferences = useDesk((state) => state.preferences);
  const session = useDesk((state) => state.session);
  const setPreferences = useDesk((state) => state.setPreferences);
  const ids = { language: useId(), theme: useId(), notify: useId(), sound: useId() };
  return (
    <section className="settings-section" aria-label={t('settings.general')}>
      <div className="modal-form">
        <label htmlFor={ids.language}>{t('settings.language')}</label>
        <select
          id={ids.language}
          value={preferences.language ?? ''}
          onChange={(event) => void setPreferences({ language: isLanguage(event.target.value) ? event.target.value : null })}
        >
          <option value="">{t('settings.languageSystem')}</option>
          {LANGUAGES.map((language) => (
            <option key={language} value={language} lang={language}>
              {LANGUAGE_NAMES[language]}
            </option>
          ))}
        </select>
        <label htmlFor={ids.theme}>{t('settings.theme')}</label>
        <select
          id={ids.theme}
          value={preferences.theme}
          onChange={(event) => {
            if (isTheme(event.target.value)) void setPreferences({ theme: event.target.value });
          }}
        >
          {THEMES.map((theme) => (
            <option key={theme} value={theme}>
              {t(`theme.${theme}`)}
            </option>
          ))}
        </select>
        <label htmlFor={ids.notify}>{t('settings.notify')}</label>
        <select
          id={ids.notify}
          value={preferences.notify}
          onChange={(event) => {
            if (isScope(event.target.value)) void setPreferences({ notify: event.target.value });
          }}
        >
          {NOTIFY_SCOPES.map((scope) => (
            <option key={scope} value={scope}>
              {t(`notify.${scope}`)}
            </option>
          ))}
        </select>
        <label className="checkbox" htmlFor={ids.sound}>
          <input id={ids.sound} type="checkbox" checked={preferences.sound} onChange={(event) => void setPreferences({ sound: event.target.checked })} />
          {t('settings.sound')}
        </label>
        <BrowserNotifications />
        {session && <p className="muted small">{t('settings.signedInAs', { name: session.user.name, email: session.user.email, server: session.serverUrl })}</p>}
      </div>
    </section>
  );
}
