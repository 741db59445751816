import { useState } from 'react';
import type { ApiCannedResponse } from '../../../../common/api';
import { cannedResponseBody } from '../../../../common/schemas';
import { useT } from '../../i18n/i18n';
import { bridge } from '../../store/bridge-ref';
import { checkWith, type FieldErrors } from './form-errors';
import { refusal } from './refusal';
import { AdminTable, CheckField, FormButtons, FormError, SectionHead, SelectField, TextField } from './fields';
import { useRemote } from './use-remote';

interface Draft {
  source: string;
  code: string;
  title: string;
  text: string;
  is_active: boolean;
}

const ALL = 'all';
const EMPTY: Draft = { source: ALL, code: '', title: '', text: '', is_active: true };

function draftOf(item: ApiCannedResponse): Draft {
  return { source: item.source_id === null ? ALL : String(item.source_id), code: item.code, title: item.title, text: item.text, is_active: item.is_active };
}

/** Canned responses: the templates operators insert with `/code` in the composer. */
export function CannedSection() {
  const t = useT();
  const items = useRemote('admin.canned.list', {});
  const sources = useRemote('admin.sources.list', {});
  const [editing, setEditing] = useState<{ id: number | null; draft: Draft } | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<string | null>(null);

  const change = (patch: Partial<Draft>) => setEditing((current) => (current ? { ...current, draft: { ...current.draft, ...patch } } : current));
  const sourceOptions = [{ value: ALL, label: t('canned.allSources') }, ...(sources.value?.sources ?? []).map((source) => ({ value: String(source.id), label: source.name }))];
  const sourceName = (id: number | null) => (id === null ? t('canned.allSources') : (sources.value?.sources.find((source) => source.id === id)?.name ?? `#${id}`));

  async function run(work: () => Promise<unknown>): Promise<boolean> {
    try {
      await work();
      setFailure(null);
      items.reload();
      return true;
    } catch (error) {
      const refused = refusal(error);
      setFailure(refused.message);
      setErrors(refused.fields);
      return false;
    }
  }

  async function save() {
    if (!editing) return;
    const { source, ...rest } = editing.draft;
    const body = { ...rest, source_id: source === ALL ? null : Number(source) };
    const checked = checkWith(cannedResponseBody, body, t);
    if (!checked.ok) return setErrors(checked.errors);
    const id = editing.id;
    const done = await run(() => (id === null ? bridge().invoke('admin.canned.create', { body }) : bridge().invoke('admin.canned.update', { id, body })));
    if (done) setEditing(null);
  }

  return (
    <section className="settings-section" aria-label={t('admin.canned')}>
      <SectionHead title={t('admin.canned')}>
        <button
          type="button"
          className="button button-small button-primary"
          onClick={() => {
            setEditing({ id: null, draft: EMPTY });
            setErrors({});
          }}
        >
          {t('canned.add')}
        </button>
      </SectionHead>
      {editing && (
        <form
          className="admin-form"
          aria-label={editing.id === null ? t('canned.add') : t('canned.edit')}
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            void save();
          }}
        >
          <TextField label={t('canned.code')} hint={t('canned.codeHint')} value={editing.draft.code} onChange={(code) => change({ code })} error={errors.code} />
          <TextField label={t('canned.titleField')} value={editing.draft.title} onChange={(title) => change({ title })} error={errors.title} />
          <TextField label={t('canned.text')} multiline value={editing.draft.text} onChange={(text) => change({ text })} error={errors.text} />
          <SelectField label={t('filter.source')} value={editing.draft.source} options={sourceOptions} onChange={(source) => change({ source })} error={errors.source_id} />
          <CheckField label={t('canned.active')} checked={editing.draft.is_active} onChange={(is_active) => change({ is_active })} />
          <div className="modal-actions">
            <FormButtons onCancel={() => setEditing(null)} />
          </div>
        </form>
      )}
      <FormError message={failure ?? items.error?.message ?? null} />
      <AdminTable caption={t('admin.canned')} columns={[t('canned.code'), t('canned.titleField'), t('filter.source')]}>
        {items.value?.items.map((item) => (
          <tr key={item.id} className={item.is_active ? undefined : 'is-inactive'}>
            <td>
              <code className="mono">/{item.code}</code>
            </td>
            <td>
              {item.title}
              {!item.is_active && <span className="badge">{t('canned.inactive')}</span>}
            </td>
            <td>{sourceName(item.source_id)}</td>
            <td className="row-actions">
              <button
                type="button"
                className="button button-small"
                aria-label={t('canned.editNamed', { name: item.title })}
                onClick={() => {
                  setEditing({ id: item.id, draft: draftOf(item) });
                  setErrors({});
                }}
              >
                {t('admin.edit')}
              </button>
              <button
                type="button"
                className="button button-small button-danger"
                aria-label={t('canned.deleteNamed', { name: item.title })}
                onClick={() => void run(() => bridge().invoke('admin.canned.delete', { id: item.id }))}
              >
                {t('admin.delete')}
              </button>
            </td>
          </tr>
        ))}
      </AdminTable>
    </section>
  );
}
