import { useState } from 'react';
import { adminUserCreateBody, adminUserUpdateBody, type AdminUser } from '../../../../common/admin-api';
import { ROLES, type Role } from '../../../../common/api';
import { useT } from '../../i18n/i18n';
import { bridge } from '../../store/bridge-ref';
import { checkWith, type FieldErrors } from './form-errors';
import { refusal } from './refusal';
import { AdminTable, FormButtons, FormError, IdChecklist, SectionHead, SelectField, TextField } from './fields';
import { useRemote } from './use-remote';

interface Draft {
  name: string;
  email: string;
  role: Role;
  password: string;
  source_ids: number[];
  department_ids: number[];
}

const EMPTY: Draft = { name: '', email: '', role: 'moderator', password: '', source_ids: [], department_ids: [] };

function draftOf(user: AdminUser): Draft {
  return { name: user.name, email: user.email, role: user.roles[0] ?? 'employee', password: '', source_ids: user.source_ids, department_ids: user.department_ids };
}

/** Operators: invite (create with a first password), change role and scope, deactivate. */
export function OperatorsSection() {
  const t = useT();
  const users = useRemote('admin.users.list', {});
  const sources = useRemote('admin.sources.list', {});
  const departments = useRemote('admin.departments.list', {});
  const [editing, setEditing] = useState<{ id: number | null; draft: Draft } | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const open = (id: number | null, draft: Draft) => {
    setEditing({ id, draft });
    setErrors({});
    setFailure(null);
  };
  const change = (patch: Partial<Draft>) => setEditing((current) => (current ? { ...current, draft: { ...current.draft, ...patch } } : current));

  async function save() {
    if (!editing) return;
    const { password, ...rest } = editing.draft;
    const checked = editing.id === null ? checkWith(adminUserCreateBody, { ...rest, password }, t) : checkWith(adminUserUpdateBody, rest, t);
    if (!checked.ok) return setErrors(checked.errors);
    setBusy(true);
    try {
      if (editing.id === null) await bridge().invoke('admin.users.create', { body: { ...rest, password } });
      else await bridge().invoke('admin.users.update', { id: editing.id, body: rest });
      setEditing(null);
      users.reload();
    } catch (error) {
      const refused = refusal(error);
      setFailure(refused.message);
      setErrors(refused.fields);
    } finally {
      setBusy(false);
    }
  }

  async function setActive(user: AdminUser, active: boolean) {
    try {
      await bridge().invoke('admin.users.setActive', { id: user.id, active });
      setFailure(null);
    } catch (error) {
      setFailure(refusal(error).message);
    }
    users.reload();
  }

  const roleOptions = ROLES.map((role) => ({ value: role, label: t(`role.${role}`) }));
  const sourceName = (id: number) => sources.value?.sources.find((source) => source.id === id)?.name ?? `#${id}`;

  return (
    <section className="settings-section" aria-label={t('admin.operators')}>
      <SectionHead title={t('admin.operators')}>
        <button type="button" className="button button-small button-primary" onClick={() => open(null, EMPTY)}>
          {t('operators.invite')}
        </button>
      </SectionHead>
      {editing && (
        <form
          className="admin-form"
          aria-label={editing.id === null ? t('operators.invite') : t('operators.edit')}
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            void save();
          }}
        >
          <TextField label={t('account.name')} value={editing.draft.name} onChange={(name) => change({ name })} error={errors.name} />
          <TextField label={t('account.email')} type="email" value={editing.draft.email} onChange={(email) => change({ email })} error={errors.email} />
          <SelectField label={t('account.role')} value={editing.draft.role} options={roleOptions} onChange={(role) => change({ role })} error={errors.role} />
          {editing.id === null && (
            <TextField
              label={t('operators.password')}
              type="password"
              autoComplete="new-password"
              hint={t('operators.passwordHint')}
              value={editing.draft.password}
              onChange={(password) => change({ password })}
              error={errors.password}
            />
          )}
          <IdChecklist
            legend={t('operators.sources')}
            items={sources.value?.sources ?? []}
            chosen={editing.draft.source_ids}
            onChange={(source_ids) => change({ source_ids })}
            error={errors.source_ids}
          />
          <IdChecklist
            legend={t('operators.departments')}
            items={departments.value?.departments ?? []}
            chosen={editing.draft.department_ids}
            onChange={(department_ids) => change({ department_ids })}
            error={errors.department_ids}
          />
          <p className="muted small">{t('operators.scopeHint')}</p>
          <FormError message={failure} />
          <div className="modal-actions">
            <FormButtons onCancel={() => setEditing(null)} submitLabel={editing.id === null ? t('operators.create') : t('admin.save')} busy={busy} />
          </div>
        </form>
      )}
      {!editing && <FormError message={failure ?? users.error?.message ?? null} />}
      <AdminTable caption={t('admin.operators')} columns={[t('account.name'), t('account.role'), t('operators.sources'), t('operators.status')]}>
        {users.value?.users.map((user) => (
          <tr key={user.id} className={user.is_active ? undefined : 'is-inactive'}>
            <td>
              {user.name}
              <div className="muted small">{user.email}</div>
            </td>
            <td>{user.roles.map((role) => t(`role.${role}`)).join(', ')}</td>
            <td>{user.roles.includes('admin') ? t('operators.allSources') : user.source_ids.map(sourceName).join(', ') || '—'}</td>
            <td>{user.is_active ? t('operators.active') : t('operators.inactive')}</td>
            <td className="row-actions">
              <button type="button" className="button button-small" aria-label={t('operators.editNamed', { name: user.name })} onClick={() => open(user.id, draftOf(user))}>
                {t('admin.edit')}
              </button>
              <button
                type="button"
                className="button button-small"
                aria-label={t(user.is_active ? 'operators.deactivateNamed' : 'operators.activateNamed', { name: user.name })}
                onClick={() => void setActive(user, !user.is_active)}
              >
                {user.is_active ? t('operators.deactivate') : t('operators.activate')}
              </button>
            </td>
          </tr>
        ))}
      </AdminTable>
    </section>
  );
}
