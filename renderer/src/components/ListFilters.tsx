import { CHAT_STATUSES } from '../../../common/api';
import { useT } from '../i18n/i18n';
import { useDesk } from '../store/desk-store';
import type { StatusChoice } from '../store/list-slice';

const STATUS_CHOICES: readonly StatusChoice[] = ['open', ...CHAT_STATUSES, 'any'];

function isStatusChoice(value: string): value is StatusChoice {
  return STATUS_CHOICES.some((choice) => choice === value);
}

export function ListFilters() {
  const t = useT();
  const status = useDesk((state) => state.query.status);
  const sourceId = useDesk((state) => state.query.sourceId);
  const departmentId = useDesk((state) => state.query.departmentId);
  const sources = useDesk((state) => state.sources);
  const departments = useDesk((state) => state.departments);
  const setQuery = useDesk((state) => state.setQuery);
  return (
    <div className="filters">
      <select
        aria-label={t('filter.status')}
        value={status}
        onChange={(event) => {
          if (isStatusChoice(event.target.value)) setQuery({ status: event.target.value });
        }}
      >
        {STATUS_CHOICES.map((choice) => (
          <option key={choice} value={choice}>
            {t(`status.${choice}`)}
          </option>
        ))}
      </select>
      <select aria-label={t('filter.source')} value={sourceId ?? ''} onChange={(event) => setQuery({ sourceId: event.target.value ? Number(event.target.value) : null })}>
        <option value="">{t('filter.anySource')}</option>
        {Object.values(sources)
          .sort((a, b) => a.name.localeCompare(b.name))
          .map((source) => (
            <option key={source.id} value={source.id}>
              {source.name}
            </option>
          ))}
      </select>
      <select
        aria-label={t('filter.department')}
        value={departmentId ?? ''}
        onChange={(event) => setQuery({ departmentId: event.target.value ? Number(event.target.value) : null })}
      >
        <option value="">{t('filter.anyDepartment')}</option>
        {Object.values(departments)
          .sort((a, b) => a.name.localeCompare(b.name))
          .map((department) => (
            <option key={department.id} value={department.id}>
              {department.name}
            </option>
          ))}
      </select>
    </div>
  );
}
