import { LANGUAGES, type Language } from '../../../common/bridge';
import { useDesk } from '../store/desk-store';
import { translator, type Translate } from './translate';

export { translator, type Params, type Translate } from './translate';

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
