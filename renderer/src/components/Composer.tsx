import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { MESSAGE_MAX_LENGTH } from '../../../common/api';
import { characterCount, isOverMessageLength } from '../../../common/text-length';
import type { CannedResponseView, ChatRow } from '../../../common/bridge';
import { useT } from '../i18n/i18n';
import { bridge } from '../store/bridge-ref';
import { useDesk } from '../store/desk-store';
import { CannedPicker } from './CannedPicker';
import { Icon } from './Icon';
import { UploadTray } from './UploadTray';

/** A typing hint goes out at most this often while the operator types… */
const TYPING_EVERY_MS = 3000;
/** …and "stopped typing" after this long without a key. */
const TYPING_IDLE_MS = 4000;
const COUNTER_FROM = MESSAGE_MAX_LENGTH - 500;

function useTypingHints(chatId: number) {
  const state = useRef({ active: false, sentAt: 0, timer: 0 });
  const stop = useCallback(() => {
    window.clearTimeout(state.current.timer);
    if (!state.current.active) return;
    state.current.active = false;
    void bridge().invoke('chat.typing', { chatId, typing: false }).catch(() => undefined);
  }, [chatId]);
  const note = useCallback(() => {
    const now = Date.now();
    if (!state.current.active || now - state.current.sentAt > TYPING_EVERY_MS) {
      state.current.active = true;
      state.current.sentAt = now;
      void bridge().invoke('chat.typing', { chatId, typing: true }).catch(() => undefined);
    }
    window.clearTimeout(state.current.timer);
    state.current.timer = window.setTimeout(stop, TYPING_IDLE_MS);
  }, [chatId, stop]);
  useEffect(() => stop, [stop]);
  return { note, stop };
}

export function Composer({ row }: { row: ChatRow }) {
  const t = useT();
  const chatId = row.id;
  const draft = useDesk((state) => state.drafts[chatId] ?? '');
  const attachedCount = useDesk((state) => (state.attached[chatId] ?? []).length);
  const blocked = useDesk((state) => (state.attached[chatId] ?? []).some((id) => id.startsWith('local-') || state.uploads[id]?.state === 'failed'));
  const sendError = useDesk((state) => state.sendError);
  const focusRequest = useDesk((state) => state.focusRequest);
  const isAdmin = useDesk((state) => state.session?.user.roles.includes('admin') ?? false);
  const setDraft = useDesk((state) => state.setDraft);
  const send = useDesk((state) => state.send);
  const attachFiles = useDesk((state) => state.attachFiles);
  const requestFocus = useDesk((state) => state.requestFocus);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const picker = useRef<HTMLInputElement>(null);
  const typing = useTypingHints(chatId);
  const [cannedIndex, setCannedIndex] = useState(0);
  const [cannedItems, setCannedItems] = useState<CannedResponseView[]>([]);
  const [cannedDismissedAt, setCannedDismissedAt] = useState<string | null>(null);

  const cannedQuery = /^\/([^\n]*)$/.exec(draft)?.[1] ?? null;
  const cannedOpen = cannedQuery !== null && cannedDismissedAt !== draft;
  const length = characterCount(draft);
  const tooLong = isOverMessageLength(draft.trim());
  const canSend = (draft.trim() !== '' || attachedCount > 0) && !tooLong && !blocked;

  useEffect(() => {
    if (focusRequest?.target === 'composer') textarea.current?.focus();
  }, [focusRequest]);

  useEffect(() => setCannedIndex(0), [cannedQuery]);

  const onItems = useCallback((items: CannedResponseView[]) => setCannedItems(items), []);

  const pick = (item: CannedResponseView) => {
    setDraft(chatId, item.text);
    setCannedItems([]);
    requestAnimationFrame(() => {
      const element = textarea.current;
      if (!element) return;
      element.focus();
      element.setSelectionRange(element.value.length, element.value.length);
    });
  };

  const submit = async () => {
    if (!canSend) return;
    typing.stop();
    await send(chatId);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.nativeEvent.isComposing) return;
    if (cannedOpen) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        const count = Math.max(1, cannedItems.length);
        setCannedIndex((index) => (index + (event.key === 'ArrowDown' ? 1 : count - 1)) % count);
        return;
      }
      if ((event.key === 'Enter' && !event.shiftKey) || event.key === 'Tab') {
        const item = cannedItems[cannedIndex];
        if (item) {
          event.preventDefault();
          pick(item);
          return;
        }
      }
      if (event.key === 'Escape') {
        event.preventDefault();
        event.stopPropagation();
        setCannedDismissedAt(draft);
        return;
      }
    }
    if (event.key === 'Enter' && !event.shiftKey && !event.altKey) {
      event.preventDefault();
      void submit();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.currentTarget.blur();
      requestFocus('list');
    }
  };

  const hint =
    row.status === 'closed'
      ? t('composer.closed')
      : row.assignee !== null && !row.assignedToMe && !isAdmin
        ? t('composer.otherAssignee', { name: row.assignee.name })
        : null;

  return (
    <div className="composer">
      {cannedOpen && (
        <CannedPicker query={cannedQuery ?? ''} sourceId={row.source.id} active={cannedIndex} onItems={onItems} onPick={pick} onHover={setCannedIndex} />
      )}
      {hint && <p className="composer-hint muted">{hint}</p>}
      {sendError && (
        <p className="composer-error" role="alert">
          {sendError.message}
        </p>
      )}
      <UploadTray chatId={chatId} />
      <div className="composer-box">
        <button type="button" className="icon-button" aria-label={t('composer.attach')} title={t('composer.attach')} onClick={() => picker.current?.click()}>
          <Icon name="clip" />
        </button>
        <input
          ref={picker}
          type="file"
          multiple
          hidden
          aria-label={t('composer.attach')}
          onChange={(event) => {
            const files = [...(event.target.files ?? [])];
            event.target.value = '';
            if (files.length > 0) void attachFiles(chatId, files);
          }}
        />
        <button
          type="button"
          className="icon-button"
          aria-label={t('composer.canned')}
          title={`${t('composer.canned')} (/)`}
          onClick={() => {
            if (!draft.startsWith('/')) setDraft(chatId, `/${draft}`);
            setCannedDismissedAt(null);
            textarea.current?.focus();
          }}
        >
          <Icon name="canned" />
        </button>
        <textarea
          ref={textarea}
          className="composer-input"
          aria-label={t('composer.label')}
          placeholder={t('composer.placeholder')}
          rows={1}
          value={draft}
          aria-expanded={cannedOpen}
          aria-controls={cannedOpen ? 'canned-list' : undefined}
          aria-activedescendant={cannedOpen && cannedItems[cannedIndex] ? `canned-${cannedItems[cannedIndex].id}` : undefined}
          onChange={(event) => {
            setDraft(chatId, event.target.value);
            if (event.target.value.trim() !== '' && !event.target.value.startsWith('/')) typing.note();
          }}
          onKeyDown={onKeyDown}
          onPaste={(event) => {
            const files = [...event.clipboardData.files];
            if (files.length === 0) return;
            event.preventDefault();
            void attachFiles(chatId, files);
          }}
        />
        <button type="button" className="button button-primary composer-send" onClick={() => void submit()} disabled={!canSend} title={`${t('composer.send')} (Enter)`}>
          <Icon name="send" />
          <span>{t('composer.send')}</span>
        </button>
      </div>
      {length > COUNTER_FROM && (
        <p className={`composer-counter${tooLong ? ' is-over' : ''}`} role={tooLong ? 'alert' : undefined}>
          {tooLong ? t('composer.tooLong', { count: characterCount(draft.trim()), max: MESSAGE_MAX_LENGTH }) : `${length}/${MESSAGE_MAX_LENGTH}`}
        </p>
      )}
    </div>
  );
}
