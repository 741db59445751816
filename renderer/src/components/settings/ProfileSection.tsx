import { useState } from 'react';
import { PASSWORD_MIN_LENGTH } from '../../../../common/password-rules';
import { passwordChangeBody, profileBody } from '../../../../common/account-api';
import { useT } from '../../i18n/i18n';
import { bridge } from '../../store/bridge-ref';
import { useDesk } from '../../store/desk-store';
import { checkWith, type FieldErrors } from './form-errors';
import { refusal } from './refusal';
import { FormError, SectionHead, TextField } from './fields';
import { useRemote } from './use-remote';

function NameForm({ initial }: { initial: string }) {
  const t = useT();
  const [name, setName] = useState(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  async function save() {
    const checked = checkWith(profileBody, { name }, t);
    if (!checked.ok) return setErrors(checked.errors);
    setErrors({});
    try {
      const { user } = await bridge().invoke('account.updateProfile', { body: checked.data });
      // The top bar shows the session's name: follow the change there at once.
      useDesk.setState((state) => (state.session ? { session: { ...state.session, user: { ...state.session.user, name: user.name } } } : {}));
      setFailure(null);
      setSaved(true);
    } catch (error) {
      const refused = refusal(error);
      setFailure(refused.message);
      setErrors(refused.fields);
    }
  }

  return (
    <form
      className="inline-form"
      aria-label={t('account.name')}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <TextField
        label={t('account.name')}
        value={name}
        autoComplete="name"
        onChange={(value) => {
          setName(value);
          setSaved(false);
        }}
        error={errors.name ?? failure ?? undefined}
      />
      <button type="submit" className="button button-primary">
        {t('admin.save')}
      </button>
      {saved && (
        <span className="muted small" role="status">
          {t('account.saved')}
        </span>
      )}
    </form>
  );
}

function PasswordForm({ email }: { email: string }) {
  const t = useT();
  const [current, setCurrent] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function save() {
    const checked = checkWith(passwordChangeBody, { current_password: current, password }, t);
    const found: FieldErrors = checked.ok ? {} : { ...checked.errors };
    if (password !== repeat) found.repeat = t('account.passwordMismatch');
    setErrors(found);
    if (!checked.ok || found.repeat) return;
    setBusy(true);
    try {
      const { signedOut } = await bridge().invoke('account.changePassword', { body: checked.data });
      setCurrent('');
      setPassword('');
      setRepeat('');
      setFailure(null);
      setDone(t('account.passwordChanged', { count: signedOut }));
    } catch (error) {
      const refused = refusal(error);
      setFailure(Object.keys(refused.fields).length > 0 ? null : refused.message);
      setErrors(refused.fields);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="admin-form"
      aria-label={t('account.password')}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      {/* For password managers: whose password this is. */}
      <input type="email" value={email} autoComplete="username" readOnly hidden />
      <TextField label={t('account.currentPassword')} type="password" autoComplete="current-password" value={current} onChange={setCurrent} error={errors.current_password} />
      <TextField label={t('account.newPassword')} type="password" autoComplete="new-password" hint={t('account.passwordRule', { min: PASSWORD_MIN_LENGTH })} value={password} onChange={setPassword} error={errors.password} />
      <TextField label={t('account.repeatPassword')} type="password" autoComplete="new-password" value={repeat} onChange={setRepeat} error={errors.repeat} />
      <FormError message={failure} />
      {done && (
        <p className="muted small" role="status">
          {done}
        </p>
      )}
      <div className="modal-actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          {t('account.changePassword')}
        </button>
      </div>
    </form>
  );
}

/** Who is signed in, as the server knows them now; the name and the password are theirs to change. */
export function ProfileSection() {
  const t = useT();
  const profile = useRemote('account.profile', {});
  const user = profile.value?.user;
  return (
    <section className="settings-section" aria-label={t('account.profile')}>
      <SectionHead title={t('account.profile')} />
      <FormError message={profile.error?.message ?? null} />
      {user && (
        <>
          <NameForm initial={user.name} />
          <dl className="profile-facts">
            <dt>{t('account.email')}</dt>
            <dd>{user.email}</dd>
            <dt>{t('account.role')}</dt>
            <dd>{user.roles.map((role) => t(`role.${role}`)).join(', ')}</dd>
          </dl>
          <p className="muted small">{t('account.askAdmin')}</p>
          <SectionHead title={t('account.password')} />
          <PasswordForm email={user.email} />
        </>
      )}
    </section>
  );
}
