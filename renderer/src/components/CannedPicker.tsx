import { useEffect, useState } from 'react';
import type { CannedResponseView } from '../../../common/bridge';
import { useT } from '../i18n/i18n';
import { bridge } from '../store/bridge-ref';

interface Props {
  query: string;
  sourceId: number | null;
  active: number;
  onItems(items: CannedResponseView[]): void;
  onPick(item: CannedResponseView): void;
  onHover(index: number): void;
}

/** The canned responses matching what follows `/` in the composer (the composer owns the keys). */
export function CannedPicker({ query, sourceId, active, onItems, onPick, onHover }: Props) {
  const t = useT();
  const [items, setItems] = useState<CannedResponseView[] | null>(null);

  useEffect(() => {
    let current = true;
    bridge()
      .invoke('canned.search', { query: query.trim() || undefined, ...(sourceId !== null ? { sourceId } : {}) })
      .then(
        ({ items: found }) => {
          if (!current) return;
          setItems(found);
          onItems(found);
        },
        () => {
          if (!current) return;
          setItems([]);
          onItems([]);
        },
      );
    return () => {
      current = false;
    };
  }, [query, sourceId, onItems]);

  return (
    <div className="canned" role="dialog" aria-label={t('canned.label')}>
      <div className="canned-head">
        <span>{t('canned.label')}</span>
        <span className="muted">{t('canned.hint')}</span>
      </div>
      {items !== null && items.length === 0 ? (
        <p className="canned-empty muted">{t('canned.empty', { query })}</p>
      ) : (
        <ul className="canned-list" role="listbox" id="canned-list" aria-label={t('canned.label')}>
          {(items ?? []).map((item, index) => (
            <li
              key={item.id}
              id={`canned-${item.id}`}
              role="option"
              aria-selected={index === active}
              className={index === active ? 'is-active' : undefined}
              onMouseDown={(event) => {
                // Keep the composer focused: the pick happens on click.
                event.preventDefault();
              }}
              onMouseEnter={() => onHover(index)}
              onClick={() => onPick(item)}
            >
              <span className="canned-code">/{item.code}</span>
              <span className="canned-title">{item.title}</span>
              <span className="canned-text muted">{item.text}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
