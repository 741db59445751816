import { useT } from '../i18n/i18n';
import { useDesk } from '../store/desk-store';
import type { TypingPerson } from '../store/typing-slice';

const NOBODY: TypingPerson[] = [];

export function TypingIndicator({ chatId }: { chatId: number }) {
  const t = useT();
  const people = useDesk((state) => state.typing[chatId] ?? NOBODY);
  const names = people.map((person) => (person.id === null ? t('typing.customer') : person.name));
  const text = names.length === 0 ? '' : names.length === 1 ? t('typing.one', { name: names[0] ?? '' }) : t('typing.many', { names: names.join(', ') });
  return (
    <div className="typing" role="status" aria-live="polite">
      {text && (
        <>
          <span className="typing-dots" aria-hidden="true">
            <span />
            <span />
            <span />
          </span>
          {text}
        </>
      )}
    </div>
  );
}
