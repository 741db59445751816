import { useEffect, useRef, useState } from 'react';
import { useT } from '../i18n/i18n';
import { useDesk } from '../store/desk-store';
import { Icon } from './Icon';

const DEBOUNCE_MS = 200;

export function SearchBox() {
  const t = useT();
  const search = useDesk((state) => state.query.search);
  const setQuery = useDesk((state) => state.setQuery);
  const focusRequest = useDesk((state) => state.focusRequest);
  const requestFocus = useDesk((state) => state.requestFocus);
  const [text, setText] = useState(search);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (text === useDesk.getState().query.search) return;
    const timer = window.setTimeout(() => setQuery({ search: text }), DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [text, setQuery]);

  useEffect(() => {
    if (focusRequest?.target !== 'search') return;
    input.current?.focus();
    input.current?.select();
  }, [focusRequest]);

  return (
    <div className="search">
      <Icon name="search" className="search-icon" />
      <input
        ref={input}
        type="search"
        role="searchbox"
        aria-label={t('list.search')}
        placeholder={t('list.searchPlaceholder')}
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.preventDefault();
            if (text) {
              setText('');
              setQuery({ search: '' });
            } else event.currentTarget.blur();
          } else if (event.key === 'Enter' || event.key === 'ArrowDown') {
            event.preventDefault();
            setQuery({ search: text });
            requestFocus('list');
          }
        }}
      />
      <kbd className="search-hint" aria-hidden="true">
        Ctrl K
      </kbd>
    </div>
  );
}
