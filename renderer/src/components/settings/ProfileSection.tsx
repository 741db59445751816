import { useT } from '../../i18n/i18n';
import { SectionHead } from './fields';
import { useRemote } from './use-remote';

/** Who is signed in, as the server knows them now. */
export function ProfileSection() {
  const t = useT();
  const profile = useRemote('account.profile', {});
  const user = profile.value?.user;
  return (
    <section className="settings-section" aria-label={t('account.profile')}>
      <SectionHead title={t('account.profile')} />
      {profile.error && <p className="field-error" role="alert">{profile.error.message}</p>}
      {user && (
        <dl className="profile-facts">
          <dt>{t('account.name')}</dt>
          <dd>{user.name}</dd>
          <dt>{t('account.email')}</dt>
          <dd>{user.email}</dd>
          <dt>{t('account.role')}</dt>
          <dd>{user.roles.map((role) => t(`role.${role}`)).join(', ')}</dd>
        </dl>
      )}
      <p className="muted small">{t('account.askAdmin')}</p>
    </section>
  );
}
