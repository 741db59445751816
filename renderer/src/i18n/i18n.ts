import { LANGUAGES, type Language } from '../../../common/bridge';
import type { Dictionary, MessageKey } from './dictionary';
import { en, type Plural } from './en';
import { pl } from './pl';
import { ru } from './ru';
import { useDesk } from '../store/desk-store';

const DICTIONARIES = { en, ru, pl } as const;

export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', ru: 'Русский', pl: 'Polski' };

/** The first of the OS/browser's preferred languages that the desk speaks; English otherwise. */
export function languageFromLocales(locales: readonly string[]): Language {
  for (const locale of locales) {
    const base = locale.toLowerCase().split(/[-_]/)[0];
    const match = LANGUAGES.find((language) => language === base);
    if (match) return match;
  }
  return 'en';
}

export function systemLanguage(): Language {
  return languageFromLocales(navigator.languages.length > 0 ? navigator.languages : [navigator.language]);
}

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

const translators = new Map<Language, Translate>();

export function translatorFor(language: Language): Translate {
  let found = translators.get(language);
  if (!found) {
    found = translator(language);
    translators.set(language, found);
  }
  return found;
}

/** The language shown: the user's choice, else the system's. */
export function useLanguage(): Language {
  const chosen = useDesk((state) => state.preferences.language);
  return chosen ?? systemLanguage();
}

export function useT(): Translate {
  return translatorFor(useLanguage());
}
