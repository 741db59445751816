import { useEffect, useState } from 'react';
import type { Theme } from '../../../common/bridge';
import { useLanguage, useT } from '../i18n/i18n';
import { useDesk } from '../store/desk-store';
import { Desk } from './Desk';
import { Login } from './Login';

function useSystemDark(): boolean {
  const query = '(prefers-color-scheme: dark)';
  const [dark, setDark] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const media = window.matchMedia(query);
    const listener = (event: MediaQueryListEvent) => setDark(event.matches);
    media.addEventListener('change', listener);
    return () => media.removeEventListener('change', listener);
  }, []);
  return dark;
}

export function resolvedTheme(theme: Theme, systemDark: boolean): 'light' | 'dark' {
  return theme === 'system' ? (systemDark ? 'dark' : 'light') : theme;
}

function useDocumentSettings(): void {
  const theme = useDesk((state) => state.preferences.theme);
  const systemDark = useSystemDark();
  const language = useLanguage();
  const unreadChats = useDesk((state) => state.unreadChats);
  const t = useT();
  useEffect(() => {
    document.documentElement.dataset.theme = resolvedTheme(theme, systemDark);
  }, [theme, systemDark]);
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  useEffect(() => {
    document.title = unreadChats > 0 ? `(${unreadChats}) ${t('app.name')}` : t('app.name');
  }, [unreadChats, t]);
}

export function App() {
  const t = useT();
  const boot = useDesk((state) => state.boot);
  const session = useDesk((state) => state.session);
  useDocumentSettings();
  if (boot === 'starting') {
    return (
      <div className="splash" role="status">
        {t('app.starting')}
      </div>
    );
  }
  return session ? <Desk /> : <Login />;
}
