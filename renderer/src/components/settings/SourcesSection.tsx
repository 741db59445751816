import { useState } from 'react';
import { ADMIN_SOURCE_TYPES, adminSourceCreateBody, adminSourceUpdateBody, type AdminSourceType } from '../../../../common/admin-api';
import { useT } from '../../i18n/i18n';
import { bridge } from '../../store/bridge-ref';
import { checkWith, type FieldErrors } from './form-errors';
import { refusal } from './refusal';
import { AdminTable, CopyButton, FormButtons, FormError, SecretOnce, SectionHead, SelectField, TextField } from './fields';
import { useRemote } from './use-remote';

/** Channels that post customer messages to a signed webhook; widgets have their own screen. */
export function SourcesSection() {
  const t = useT();
  const sources = useRemote('admin.sources.list', {});
  const [draft, setDraft] = useState<{ id: number | null; name: string; type: AdminSourceType } | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [secret, setSecret] = useState<{ name: string; value: string } | null>(null);

  async function save() {
    if (!draft) return;
    const checked = draft.id === null ? checkWith(adminSourceCreateBody, { name: draft.name, type: draft.type }, t) : checkWith(adminSourceUpdateBody, { name: draft.name }, t);
    if (!checked.ok) return setErrors(checked.errors);
    try {
      if (draft.id === null) {
        const { source } = await bridge().invoke('admin.sources.create', { body: { name: draft.name, type: draft.type } });
        setSecret({ name: source.name, value: source.webhook_secret });
      } else {
        await bridge().invoke('admin.sources.update', { id: draft.id, body: { name: draft.name } });
      }
      setDraft(null);
      setFailure(null);
      sources.reload();
    } catch (error) {
      const refused = refusal(error);
      setFailure(refused.message);
      setErrors(refused.fields);
    }
  }

  async function rotate(id: number) {
    try {
      const { source } = await bridge().invoke('admin.sources.rotateSecret', { id });
      setSecret({ name: source.name, value: source.webhook_secret });
      setFailure(null);
    } catch (error) {
      setFailure(refusal(error).message);
    }
  }

  const typeOptions = ADMIN_SOURCE_TYPES.map((type) => ({ value: type, label: t(`sourceType.${type}`) }));
  return (
    <section className="settings-section" aria-label={t('admin.sources')}>
      <SectionHead title={t('admin.sources')}>
        <button
          type="button"
          className="button button-small button-primary"
          onClick={() => {
            setDraft({ id: null, name: '', type: 'api' });
            setErrors({});
          }}
        >
          {t('sources.add')}
        </button>
      </SectionHead>
      {secret && <SecretOnce label={t('sources.secret', { name: secret.name })} secret={secret.value} onDone={() => setSecret(null)} />}
      {draft && (
        <form
          className="admin-form"
          aria-label={draft.id === null ? t('sources.add') : t('sources.rename')}
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            void save();
          }}
        >
          <TextField label={t('account.name')} value={draft.name} onChange={(name) => setDraft({ ...draft, name })} error={errors.name} />
          {draft.id === null && <SelectField label={t('sources.type')} value={draft.type} options={typeOptions} onChange={(type) => setDraft({ ...draft, type })} error={errors.type} />}
          <div className="modal-actions">
            <FormButtons onCancel={() => setDraft(null)} submitLabel={draft.id === null ? t('sources.create') : t('admin.save')} />
          </div>
        </form>
      )}
      <FormError message={failure ?? sources.error?.message ?? null} />
      <AdminTable caption={t('admin.sources')} columns={[t('account.name'), t('sources.type'), t('sources.webhook')]}>
        {sources.value?.sources.map((source) => (
          <tr key={source.id}>
            <td>{source.name}</td>
            <td>{t(`sourceType.${source.type}`)}</td>
            <td>
              {source.type === 'widget' ? (
                <span className="muted">—</span>
              ) : (
                <span className="webhook-url">
                  <code className="mono small">{source.webhook_url}</code>
                  <CopyButton text={source.webhook_url} />
                </span>
              )}
            </td>
            <td className="row-actions">
              <button
                type="button"
                className="button button-small"
                aria-label={t('sources.renameNamed', { name: source.name })}
                onClick={() => {
                  setDraft({ id: source.id, name: source.name, type: 'api' });
                  setErrors({});
                }}
              >
                {t('sources.rename')}
              </button>
              {source.type !== 'widget' && (
                <button type="button" className="button button-small" aria-label={t('sources.rotateNamed', { name: source.name })} onClick={() => void rotate(source.id)}>
                  {t('sources.rotate')}
                </button>
              )}
            </td>
          </tr>
        ))}
      </AdminTable>
    </section>
  );
}
