import { useState } from 'react';
import { adminWidgetCreateBody, adminWidgetUpdateBody, type AdminWidget } from '../../../../common/admin-api';
import { CLIENT_DATA_FIELDS, WEEKDAYS, WIDGET_LOCALES, WIDGET_THEMES, type Weekday } from '../../../../common/widget-api';
import { WIDGET_LONG_TEXT_MAX, WIDGET_TEXT_MAX, type WidgetSettings } from '../../../../common/widget-settings';
import { useT } from '../../i18n/i18n';
import { bridge } from '../../store/bridge-ref';
import { useDesk } from '../../store/desk-store';
import { checkWith, type FieldErrors } from './form-errors';
import { refusal } from './refusal';
import { CheckField, CopyButton, FormButtons, FormError, SectionHead, SelectField, TextField } from './fields';
import { rangesToText, textToRanges } from './opening-hours-text';
import { useRemote } from './use-remote';
import { WidgetPreview } from './WidgetPreview';

interface Draft {
  id: number;
  name: string;
  settings: WidgetSettings;
  /** As typed, one line per day and one domain per line: parsed on every change, shown as typed. */
  hours: Record<Weekday, string>;
  domains: string;
}

function draftOf(widget: AdminWidget): Draft {
  const typed: Record<Weekday, string> = { monday: '', tuesday: '', wednesday: '', thursday: '', friday: '', saturday: '', sunday: '' };
  for (const day of WEEKDAYS) typed[day] = rangesToText(widget.settings.opening_hours[day]);
  return { id: widget.id, name: widget.name, settings: widget.settings, hours: typed, domains: widget.settings.allowed_domains.join('\n') };
}

/** The first error under a path (`settings.opening_hours.monday.0.from` for the Monday line). */
function errorUnder(errors: FieldErrors, prefix: string): string | undefined {
  return Object.entries(errors).find(([key]) => key === prefix || key.startsWith(`${prefix}.`))?.[1];
}

/** The one line a website adds to show this widget. */
export function embedSnippet(serverUrl: string, token: string): string {
  return `<script src="${serverUrl}/widget.js" data-token="${token}" async></script>`;
}

function WidgetForm({ initial, onSaved }: { initial: AdminWidget; onSaved(): void }) {
  const t = useT();
  const serverUrl = useDesk((state) => state.session?.serverUrl ?? '');
  const users = useRemote('admin.users.list', {});
  const [draft, setDraft] = useState<Draft>(() => draftOf(initial));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  const set = (patch: Partial<WidgetSettings>) => {
    setSaved(false);
    setDraft((current) => ({ ...current, settings: { ...current.settings, ...patch } }));
  };
  const s = draft.settings;
  const err = (key: string) => errorUnder(errors, `settings.${key}`);

  async function save() {
    const body = { name: draft.name, settings: draft.settings };
    const checked = checkWith(adminWidgetUpdateBody, body, t);
    if (!checked.ok) return setErrors(checked.errors);
    setErrors({});
    setBusy(true);
    try {
      await bridge().invoke('admin.widgets.update', { id: draft.id, body });
      setFailure(null);
      setSaved(true);
      onSaved();
    } catch (error) {
      const refused = refusal(error);
      setFailure(refused.message);
      setErrors(refused.fields);
    } finally {
      setBusy(false);
    }
  }

  const themeOptions = WIDGET_THEMES.map((theme) => ({ value: theme, label: t(`widgets.theme.${theme}`) }));
  const localeOptions = WIDGET_LOCALES.map((locale) => ({ value: locale, label: t(`widgets.locale.${locale}`) }));
  const responsibleOptions = [
    { value: '', label: t('widgets.nobody') },
    ...(users.value?.users ?? []).filter((user) => user.is_active).map((user) => ({ value: String(user.id), label: user.name })),
  ];
  const snippet = initial.token ? embedSnippet(serverUrl, initial.token) : null;

  return (
    <div className="widget-editor">
      <form
        className="admin-form widget-form"
        aria-label={t('widgets.editNamed', { name: initial.name })}
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <TextField label={t('account.name')} value={draft.name} onChange={(name) => setDraft({ ...draft, name })} error={errors.name} />
        <TextField label={t('widgets.title')} value={s.title} maxLength={WIDGET_TEXT_MAX + 1} onChange={(title) => set({ title })} error={err('title')} />
        <TextField label={t('widgets.description')} multiline value={s.description} onChange={(description) => set({ description })} error={err('description')} />
        <div className="field">
          <label htmlFor={`colour-${draft.id}`}>{t('widgets.colour')}</label>
          <div className="colour-row">
            <input type="color" aria-hidden="true" tabIndex={-1} value={/^#[0-9a-fA-F]{6}$/.test(s.color) ? s.color : '#000000'} onChange={(event) => set({ color: event.target.value })} />
            <input
              id={`colour-${draft.id}`}
              type="text"
              className="mono"
              value={s.color}
              aria-invalid={err('color') ? true : undefined}
              aria-describedby={err('color') ? `colour-${draft.id}-error` : undefined}
              onChange={(event) => set({ color: event.target.value.trim() })}
            />
          </div>
          {err('color') && (
            <p id={`colour-${draft.id}-error`} className="field-error">
              {err('color')}
            </p>
          )}
        </div>
        <SelectField label={t('widgets.themeLabel')} value={s.theme} options={themeOptions} onChange={(theme) => set({ theme })} error={err('theme')} />
        <SelectField label={t('widgets.localeLabel')} value={s.locale} options={localeOptions} onChange={(locale) => set({ locale })} error={err('locale')} />
        <TextField label={t('widgets.welcome')} multiline maxLength={WIDGET_LONG_TEXT_MAX + 1} value={s.welcome_message} onChange={(welcome_message) => set({ welcome_message })} error={err('welcome_message')} />
        <CheckField label={t('widgets.active')} checked={s.active} onChange={(active) => set({ active })} />
        <CheckField label={t('widgets.attachments')} checked={s.allow_client_attachments} onChange={(allow_client_attachments) => set({ allow_client_attachments })} />
        <CheckField label={t('widgets.requireData')} checked={s.require_client_data} onChange={(require_client_data) => set({ require_client_data })} />
        {s.require_client_data && (
          <fieldset className="checklist">
            <legend>{t('widgets.dataFields')}</legend>
            {CLIENT_DATA_FIELDS.map((field) => (
              <CheckField
                key={field}
                label={t(`widgets.field.${field}`)}
                checked={s.client_data_fields.includes(field)}
                onChange={(on) => set({ client_data_fields: on ? [...s.client_data_fields, field] : s.client_data_fields.filter((known) => known !== field) })}
              />
            ))}
            {err('client_data_fields') && <p className="field-error">{err('client_data_fields')}</p>}
          </fieldset>
        )}
        <SelectField
          label={t('widgets.responsible')}
          value={s.responsible_id === null ? '' : String(s.responsible_id)}
          options={responsibleOptions}
          onChange={(value) => set({ responsible_id: value === '' ? null : Number(value) })}
          error={err('responsible_id')}
        />
        <TextField
          label={t('widgets.domains')}
          hint={t('widgets.domainsHint')}
          multiline
          value={draft.domains}
          onChange={(domains) => {
            setDraft((current) => ({ ...current, domains }));
            set({ allowed_domains: domains.split(/[\n,]/).map((domain) => domain.trim()).filter((domain) => domain !== '') });
          }}
          error={err('allowed_domains')}
        />
        <CheckField label={t('widgets.useHours')} checked={s.use_opening_hours} onChange={(use_opening_hours) => set({ use_opening_hours })} />
        {s.use_opening_hours && (
          <fieldset className="checklist">
            <legend>{t('widgets.hours')}</legend>
            <p className="muted small">{t('widgets.hoursHint')}</p>
            {WEEKDAYS.map((day) => (
              <TextField
                key={day}
                label={t(`weekday.${day}`)}
                value={draft.hours[day]}
                onChange={(line) => {
                  setDraft((current) => ({ ...current, hours: { ...current.hours, [day]: line } }));
                  set({ opening_hours: { ...s.opening_hours, [day]: textToRanges(line) } });
                }}
                error={err(`opening_hours.${day}`)}
              />
            ))}
            <TextField label={t('widgets.timeZone')} value={s.time_zone} onChange={(time_zone) => set({ time_zone })} error={err('time_zone')} />
            <CheckField label={t('widgets.afterHours')} checked={s.messages_after_hours} onChange={(messages_after_hours) => set({ messages_after_hours })} />
            <TextField label={t('widgets.offline')} multiline value={s.offline_message} onChange={(offline_message) => set({ offline_message })} error={err('offline_message')} />
          </fieldset>
        )}
        <FormError message={failure} />
        {saved && (
          <p className="muted small" role="status">
            {t('widgets.saved')}
          </p>
        )}
        <div className="modal-actions">
          <button type="submit" className="button button-primary" disabled={busy}>
            {t('admin.save')}
          </button>
        </div>
      </form>
      <div className="widget-side">
        <WidgetPreview name={draft.name} settings={draft.settings} />
        {snippet && (
          <div className="field">
            <label htmlFor={`snippet-${draft.id}`}>{t('widgets.embed')}</label>
            <textarea id={`snippet-${draft.id}`} className="mono snippet" readOnly rows={4} value={snippet} onFocus={(event) => event.target.select()} />
            <CopyButton text={snippet} label={t('widgets.copyEmbed')} />
          </div>
        )}
      </div>
    </div>
  );
}

/** Website widgets: their settings with a live preview, and the snippet a site embeds. */
export function WidgetsSection() {
  const t = useT();
  const widgets = useRemote('admin.widgets.list', {});
  const [chosen, setChosen] = useState<number | null>(null);
  const [newName, setNewName] = useState<string | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const list = widgets.value?.widgets ?? [];
  const current = list.find((widget) => widget.id === chosen) ?? list[0] ?? null;

  async function create() {
    const body = { name: newName ?? '' };
    const checked = checkWith(adminWidgetCreateBody, body, t);
    if (!checked.ok) return setErrors(checked.errors);
    try {
      const { widget } = await bridge().invoke('admin.widgets.create', { body });
      setNewName(null);
      setFailure(null);
      setChosen(widget.id);
      widgets.reload();
    } catch (error) {
      const refused = refusal(error);
      setFailure(refused.message);
      setErrors(refused.fields);
    }
  }

  return (
    <section className="settings-section" aria-label={t('admin.widgets')}>
      <SectionHead title={t('admin.widgets')}>
        <button
          type="button"
          className="button button-small button-primary"
          onClick={() => {
            setNewName('');
            setErrors({});
          }}
        >
          {t('widgets.add')}
        </button>
      </SectionHead>
      {newName !== null && (
        <form
          className="admin-form inline-form"
          aria-label={t('widgets.add')}
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            void create();
          }}
        >
          <TextField label={t('account.name')} value={newName} onChange={setNewName} error={errors.name} />
          <FormButtons onCancel={() => setNewName(null)} submitLabel={t('widgets.create')} />
        </form>
      )}
      <FormError message={failure ?? widgets.error?.message ?? null} />
      {list.length > 1 && (
        <div className="widget-picker" role="group" aria-label={t('admin.widgets')}>
          {list.map((widget) => (
            <button key={widget.id} type="button" className={`chip${widget.id === current?.id ? ' is-active' : ''}`} aria-pressed={widget.id === current?.id} onClick={() => setChosen(widget.id)}>
              {widget.name}
            </button>
          ))}
        </div>
      )}
      {current && <WidgetForm key={current.id} initial={current} onSaved={widgets.reload} />}
    </section>
  );
}
