import { useState } from 'react';
import { personalTokenBody } from '../../../../common/account-api';
import { useLanguage, useT } from '../../i18n/i18n';
import { formatDateTime } from '../../lib/format';
import { bridge } from '../../store/bridge-ref';
import { checkWith, type FieldErrors } from './form-errors';
import { refusal } from './refusal';
import { AdminTable, FormError, SecretOnce, SectionHead, TextField } from './fields';
import { useRemote } from './use-remote';

/** Personal API tokens: for scripts and integrations acting as this user. */
export function TokensSection() {
  const t = useT();
  const language = useLanguage();
  const tokens = useRemote('tokens.list', {});
  const [name, setName] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [secret, setSecret] = useState<{ name: string; value: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function create() {
    const checked = checkWith(personalTokenBody, { name }, t);
    if (!checked.ok) return setErrors(checked.errors);
    setErrors({});
    setBusy(true);
    try {
      const created = await bridge().invoke('tokens.create', checked.data);
      setSecret({ name: created.token.name, value: created.secret });
      setName('');
      setFailure(null);
      tokens.reload();
    } catch (error) {
      const refused = refusal(error);
      setFailure(refused.message);
      setErrors(refused.fields);
    } finally {
      setBusy(false);
    }
  }

  async function revoke(id: number) {
    try {
      await bridge().invoke('tokens.revoke', { id });
      setFailure(null);
    } catch (error) {
      setFailure(refusal(error).message);
    }
    tokens.reload();
  }

  return (
    <section className="settings-section" aria-label={t('tokens.title')}>
      <SectionHead title={t('tokens.title')} />
      <p className="muted small">{t('tokens.about')}</p>
      {secret && <SecretOnce label={t('tokens.secret', { name: secret.name })} secret={secret.value} onDone={() => setSecret(null)} />}
      <form
        className="inline-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void create();
        }}
      >
        <TextField label={t('tokens.name')} value={name} onChange={setName} error={errors.name} />
        <button type="submit" className="button button-primary" disabled={busy}>
          {t('tokens.create')}
        </button>
      </form>
      <FormError message={failure} />
      {tokens.error && <FormError message={tokens.error.message} />}
      <AdminTable caption={t('tokens.title')} columns={[t('tokens.name'), t('tokens.created'), t('tokens.lastUsed')]}>
        {tokens.value?.tokens.length === 0 && (
          <tr>
            <td colSpan={4} className="muted">{t('tokens.none')}</td>
          </tr>
        )}
        {tokens.value?.tokens.map((token) => (
          <tr key={token.id}>
            <td>{token.name}</td>
            <td>{formatDateTime(token.createdAt, language)}</td>
            <td>{token.lastUsedAt === null ? t('tokens.never') : formatDateTime(token.lastUsedAt, language)}</td>
            <td className="row-actions">
              <button type="button" className="button button-small button-danger" aria-label={t('tokens.revokeNamed', { name: token.name })} onClick={() => void revoke(token.id)}>
                {t('tokens.revoke')}
              </button>
            </td>
          </tr>
        ))}
      </AdminTable>
    </section>
  );
}
