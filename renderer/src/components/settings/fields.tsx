import { useId, useState, type ReactNode } from 'react';
import { useT } from '../../i18n/i18n';

// The settings forms' building blocks: every control has a label, and its error is tied to it
// (aria-invalid + aria-describedby), so a screen reader reads the problem with the field.

interface TextFieldProps {
  label: string;
  value: string;
  onChange(value: string): void;
  error?: string | undefined;
  type?: 'text' | 'email' | 'password' | 'url';
  autoComplete?: string;
  hint?: string;
  multiline?: boolean;
  maxLength?: number;
}

export function TextField({ label, value, onChange, error, type = 'text', autoComplete, hint, multiline, maxLength }: TextFieldProps) {
  const id = useId();
  const describedBy = [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(' ') || undefined;
  const common = { id, value, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy, maxLength } as const;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {multiline ? (
        <textarea {...common} rows={3} onChange={(event) => onChange(event.target.value)} />
      ) : (
        <input {...common} type={type} autoComplete={autoComplete ?? 'off'} onChange={(event) => onChange(event.target.value)} />
      )}
      {hint && (
        <p id={`${id}-hint`} className="muted small field-hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

export function SelectField<V extends string>({
  label,
  value,
  options,
  onChange,
  error,
}: {
  label: string;
  value: V;
  options: readonly { value: V; label: string }[];
  onChange(value: V): void;
  error?: string | undefined;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(event) => {
          const chosen = options.find((option) => option.value === event.target.value);
          if (chosen) onChange(chosen.value);
        }}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

export function CheckField({ label, checked, onChange }: { label: string; checked: boolean; onChange(checked: boolean): void }) {
  const id = useId();
  return (
    <label className="checkbox field-check" htmlFor={id}>
      <input id={id} type="checkbox" checked={checked} onChange={(event) => onChange(event.target.checked)} />
      {label}
    </label>
  );
}

/** A set of checkboxes over ids (sources, departments). */
export function IdChecklist({ legend, items, chosen, onChange, error }: { legend: string; items: readonly { id: number; name: string }[]; chosen: readonly number[]; onChange(ids: number[]): void; error?: string | undefined }) {
  const t = useT();
  return (
    <fieldset className="checklist">
      <legend>{legend}</legend>
      {items.length === 0 && <p className="muted small">{t('admin.none')}</p>}
      {items.map((item) => (
        <CheckField
          key={item.id}
          label={item.name}
          checked={chosen.includes(item.id)}
          onChange={(on) => onChange(on ? [...chosen, item.id] : chosen.filter((id) => id !== item.id))}
        />
      ))}
      {error && <p className="field-error">{error}</p>}
    </fieldset>
  );
}

/** Copies `text`; says so for a moment (also to screen readers). */
export function CopyButton({ text, label }: { text: string; label?: string }) {
  const t = useT();
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="button button-small"
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(
          () => {
            setCopied(true);
            setTimeout(() => setCopied(false), 2000);
          },
          () => setCopied(false),
        );
      }}
    >
      <span aria-live="polite">{copied ? t('admin.copied') : (label ?? t('admin.copy'))}</span>
    </button>
  );
}

/** A secret the server shows once (a token, a webhook secret): selectable, copyable, and said so. */
export function SecretOnce({ label, secret, onDone }: { label: string; secret: string; onDone(): void }) {
  const t = useT();
  const id = useId();
  return (
    <div className="secret-once" role="status">
      <label htmlFor={id}>{label}</label>
      <div className="secret-row">
        <input id={id} className="mono" readOnly value={secret} onFocus={(event) => event.target.select()} />
        <CopyButton text={secret} />
      </div>
      <p className="muted small">{t('admin.shownOnce')}</p>
      <button type="button" className="button button-small" onClick={onDone}>
        {t('admin.done')}
      </button>
    </div>
  );
}

/** A form's own failure (the server's words), announced. */
export function FormError({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p className="field-error form-error" role="alert">
      {message}
    </p>
  );
}

export function SectionHead({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <header className="section-head">
      <h3>{title}</h3>
      {children}
    </header>
  );
}

/** A settings form's Cancel and submit buttons (the submit label says what it does: Save, Create, Add). */
export function FormButtons({ onCancel, submitLabel, busy = false }: { onCancel(): void; submitLabel?: string; busy?: boolean }) {
  const t = useT();
  return (
    <>
      <button type="button" className="button" onClick={onCancel}>
        {t('admin.cancel')}
      </button>
      <button type="submit" className="button button-primary" disabled={busy}>
        {submitLabel ?? t('admin.save')}
      </button>
    </>
  );
}

/** A settings list: a caption for screen readers, a header row of `columns`, a last unnamed column for the row's actions. */
export function AdminTable({ caption, columns, children }: { caption: string; columns: readonly string[]; children: ReactNode }) {
  const t = useT();
  return (
    <table className="admin-table">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          {columns.map((column) => (
            <th key={column} scope="col">
              {column}
            </th>
          ))}
          <th scope="col">
            <span className="visually-hidden">{t('admin.actions')}</span>
          </th>
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}
