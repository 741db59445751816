import type { z } from 'zod';
import { PASSWORD_MIN_LENGTH } from '../../../../common/password-rules';
import type { Translate } from '../../i18n/translate';

/** Field path (`settings.color`) → the one message shown under that field. */
export type FieldErrors = Record<string, string>;

type Issue = z.core.$ZodIssue;

function isEmpty(input: unknown): boolean {
  return input === undefined || input === null || input === '';
}

/**
 * The schemas' own custom rules carry English sentences (the server's words); here each is named
 * by what it checks so the form can say it in the desk's language.
 */
function customMessage(issue: Issue & { code: 'custom' }, t: Translate): string {
  const field = String(issue.path.at(-1) ?? '');
  if (field === 'password' && typeof issue.input === 'string') {
    return [...issue.input].length < PASSWORD_MIN_LENGTH ? t('form.passwordShort', { min: PASSWORD_MIN_LENGTH }) : t('form.passwordCommon');
  }
  if (issue.message.includes('duplicate')) return t('form.duplicate');
  if (issue.message.includes('time zone')) return t('form.timeZone');
  if (issue.message.includes('host name')) return t('form.domain');
  if (issue.message.includes('another time')) return t('form.range');
  return t('form.invalid');
}

/** One zod issue in words, in the desk's language. */
export function issueMessage(issue: Issue, t: Translate): string {
  switch (issue.code) {
    case 'invalid_type':
      return isEmpty(issue.input) ? t('form.required') : t('form.invalid');
    case 'too_small':
      if (issue.origin === 'string') return issue.minimum === 1 ? t('form.required') : t('form.tooShort', { min: Number(issue.minimum) });
      return t('form.invalid');
    case 'too_big':
      if (issue.origin === 'string') return t('form.tooLong', { max: Number(issue.maximum) });
      if (issue.origin === 'array') return t('form.tooMany', { max: Number(issue.maximum) });
      return t('form.invalid');
    case 'invalid_format':
      if (issue.format === 'email') return t('form.email');
      if (issue.format === 'regex' && String(issue.path.at(-1)) === 'color') return t('form.colour');
      if (issue.format === 'regex' && issue.path.includes('opening_hours')) return t('form.range');
      return t('form.format');
    case 'invalid_value':
      return isEmpty(issue.input) ? t('form.required') : t('form.invalid');
    case 'custom':
      return customMessage(issue, t);
    case 'not_multiple_of':
    case 'unrecognized_keys':
    case 'invalid_union':
    case 'invalid_key':
    case 'invalid_element':
      return t('form.invalid');
    default: {
      const unreachable: never = issue;
      return String(unreachable);
    }
  }
}

export type Checked<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

/** Checks a form's value with the server's own schema; the first problem of each field, in words. */
export function checkWith<S extends z.ZodType>(schema: S, value: unknown, t: Translate): Checked<z.output<S>> {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = issue.path.map(String).join('.') || 'form';
    errors[key] ??= issueMessage(issue, t);
  }
  return { ok: false, errors };
}
