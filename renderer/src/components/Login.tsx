import { useId, useState, type FormEvent } from 'react';
import { useT } from '../i18n/i18n';
import { pageSetting } from '../lib/page-settings';
import { useDesk } from '../store/desk-store';
import { Icon } from './Icon';

export function Login() {
  const t = useT();
  const defaultServerUrl = useDesk((state) => state.defaultServerUrl);
  const loggingIn = useDesk((state) => state.loggingIn);
  const error = useDesk((state) => state.loginError);
  const ended = useDesk((state) => state.sessionEndedReason);
  const login = useDesk((state) => state.login);
  const [serverUrl, setServerUrl] = useState(defaultServerUrl);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const ids = { server: useId(), email: useId(), password: useId(), error: useId() };
  const demo = pageSetting('demo') === '1';

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void login({ serverUrl, email, password });
  };

  const fieldError = (...names: string[]) => names.map((name) => error?.fields[name]?.[0]).find(Boolean) ?? null;
  const serverError = fieldError('serverUrl');
  const emailError = fieldError('email');
  const passwordError = fieldError('password');

  return (
    <main className="login">
      <form className="login-card" onSubmit={submit} aria-labelledby="login-title" noValidate>
        <div className="login-brand">
          <span className="brand-mark" aria-hidden="true">
            <Icon name="chat" size={20} />
          </span>
          <span>{t('app.name')}</span>
        </div>
        <h1 id="login-title">{t('login.title')}</h1>
        <p className="muted">{t('login.subtitle')}</p>
        {ended === 'expired' && !error && (
          <p className="notice notice-warn" role="status">
            {t('login.expired')}
          </p>
        )}
        {error && (
          <div className="notice notice-danger" role="alert" id={ids.error}>
            <Icon name="alert" />
            <span>
              <strong>{t('login.failed')}:</strong> {error.message}
            </span>
          </div>
        )}
        <label htmlFor={ids.server}>{t('login.server')}</label>
        <input
          id={ids.server}
          type="url"
          inputMode="url"
          autoComplete="url"
          placeholder="https://chat.example.com"
          value={serverUrl}
          onChange={(event) => setServerUrl(event.target.value)}
          aria-invalid={serverError ? true : undefined}
          required
        />
        {serverError && <p className="field-error">{serverError}</p>}
        <label htmlFor={ids.email}>{t('login.email')}</label>
        <input
          id={ids.email}
          type="email"
          autoComplete="username"
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          aria-invalid={emailError ? true : undefined}
          autoFocus
          required
        />
        {emailError && emailError !== error?.message && <p className="field-error">{emailError}</p>}
        <label htmlFor={ids.password}>{t('login.password')}</label>
        <input
          id={ids.password}
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          aria-invalid={passwordError ? true : undefined}
          required
        />
        {passwordError && passwordError !== error?.message && <p className="field-error">{passwordError}</p>}
        <button type="submit" className="button button-primary button-wide" disabled={loggingIn}>
          {loggingIn ? t('login.submitting') : t('login.submit')}
        </button>
        {demo && <p className="login-demo muted">{t('login.demo')}</p>}
      </form>
    </main>
  );
}
