import { useState } from 'react';
import { adminDepartmentBody } from '../../../../common/admin-api';
import { useT } from '../../i18n/i18n';
import { bridge } from '../../store/bridge-ref';
import { checkWith, type FieldErrors } from './form-errors';
import { refusal } from './refusal';
import { AdminTable, FormButtons, FormError, SectionHead, TextField } from './fields';
import { useRemote } from './use-remote';

/** Departments narrow which chats an operator sees within their sources. */
export function DepartmentsSection() {
  const t = useT();
  const departments = useRemote('admin.departments.list', {});
  const [draft, setDraft] = useState<{ id: number | null; name: string } | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<string | null>(null);

  async function run(work: () => Promise<unknown>): Promise<boolean> {
    try {
      await work();
      setFailure(null);
      departments.reload();
      return true;
    } catch (error) {
      const refused = refusal(error);
      setFailure(refused.message);
      setErrors(refused.fields);
      return false;
    }
  }

  async function save() {
    if (!draft) return;
    const checked = checkWith(adminDepartmentBody, { name: draft.name }, t);
    if (!checked.ok) return setErrors(checked.errors);
    const body = { name: draft.name };
    const id = draft.id;
    const done = await run(() => (id === null ? bridge().invoke('admin.departments.create', { body }) : bridge().invoke('admin.departments.update', { id, body })));
    if (done) setDraft(null);
  }

  return (
    <section className="settings-section" aria-label={t('admin.departments')}>
      <SectionHead title={t('admin.departments')}>
        <button
          type="button"
          className="button button-small button-primary"
          onClick={() => {
            setDraft({ id: null, name: '' });
            setErrors({});
          }}
        >
          {t('departments.add')}
        </button>
      </SectionHead>
      {draft && (
        <form
          className="admin-form inline-form"
          aria-label={draft.id === null ? t('departments.add') : t('departments.rename')}
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            void save();
          }}
        >
          <TextField label={t('account.name')} value={draft.name} onChange={(name) => setDraft({ ...draft, name })} error={errors.name} />
          <FormButtons onCancel={() => setDraft(null)} />
        </form>
      )}
      <FormError message={failure ?? departments.error?.message ?? null} />
      <AdminTable caption={t('admin.departments')} columns={[t('account.name'), t('departments.users'), t('departments.chats')]}>
        {departments.value?.departments.length === 0 && (
          <tr>
            <td colSpan={4} className="muted">{t('admin.none')}</td>
          </tr>
        )}
        {departments.value?.departments.map((department) => (
          <tr key={department.id}>
            <td>{department.name}</td>
            <td>{department.users_count}</td>
            <td>{department.chats_count}</td>
            <td className="row-actions">
              <button
                type="button"
                className="button button-small"
                aria-label={t('departments.renameNamed', { name: department.name })}
                onClick={() => {
                  setDraft({ id: department.id, name: department.name });
                  setErrors({});
                }}
              >
                {t('departments.rename')}
              </button>
              <button
                type="button"
                className="button button-small button-danger"
                aria-label={t('departments.deleteNamed', { name: department.name })}
                onClick={() => void run(() => bridge().invoke('admin.departments.delete', { id: department.id }))}
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
