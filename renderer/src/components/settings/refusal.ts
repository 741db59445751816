import { shownError } from '../../store/errors';
import type { FieldErrors } from './form-errors';

/** What the server (or the engine) refused: its words for the form and for each field it named. */
export function refusal(error: unknown): { message: string; fields: FieldErrors } {
  const shown = shownError(error);
  const fields: FieldErrors = {};
  for (const [field, messages] of Object.entries(shown.fields)) if (messages[0]) fields[field] = messages[0];
  return { message: shown.message, fields };
}
