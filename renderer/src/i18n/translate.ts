import type { Language } from '../../../common/bridge';
import type { Dictionary, MessageKey } from './dictionary';
import { en, type Plural } from './en';
import { pl } from './pl';
import { ru } from './ru';

// Messages by key in one language, with `{name}` parameters and CLDR plurals. No DOM and no store:
// the same functions serve the UI and tests in Node.

const DICTIONARIES = { en, ru, pl } as const;

export type Params = Record<string, string | number>;

function fill(template: string, params: Params): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export type Translate = (key: MessageKey, params?: Params) => string;

export function translator(language: Language): Translate {
  const dictionary: Dictionary = DICTIONARIES[language];
  const rules = new Intl.PluralRules(language);
  return (key, params = {}) => {
    const entry: string | Plural = dictionary[key];
    if (typeof entry === 'string') return fill(entry, params);
    const count = typeof params.count === 'number' ? params.count : 0;
    const category = rules.select(count);
    const form = category === 'one' || category === 'few' || category === 'many' ? (entry[category] ?? entry.other) : entry.other;
    return fill(form, params);
  };
}

