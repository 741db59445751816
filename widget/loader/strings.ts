// The loader's few words, in the widget's locale (or the browser's while the widget's is unknown).
// The visitor app has the rest (widget/app/i18n.ts).

const WORDS = {
  en: { open: 'Open chat', close: 'Close chat', unread: (n: number) => `${n} unread`, frame: 'Chat' },
  pl: { open: 'Otwórz czat', close: 'Zamknij czat', unread: (n: number) => `nieprzeczytane: ${n}`, frame: 'Czat' },
  ru: { open: 'Открыть чат', close: 'Закрыть чат', unread: (n: number) => `непрочитанных: ${n}`, frame: 'Чат' },
};

export type LoaderWords = (typeof WORDS)['en'];

export function loaderWords(locale: string): LoaderWords {
  const wanted = locale === 'auto' || locale === '' ? [...navigator.languages, navigator.language] : [locale];
  for (const tag of wanted) {
    const language = tag.slice(0, 2).toLowerCase();
    if (language === 'pl' || language === 'ru' || language === 'en') return WORDS[language];
  }
  return WORDS.en;
}
