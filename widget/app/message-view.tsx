import type { VisitorAttachment, VisitorMessage } from '../../common/widget-api';
import type { VisitorApi } from './api';
import type { PendingMessage } from './conversation';
import { formatBytes, formatTime, type Language, type Words } from './i18n';
import { Clip } from './icons';

type Status = 'sending' | 'failed' | 'sent' | 'read';

async function download(api: VisitorApi, attachment: VisitorAttachment): Promise<void> {
  const blob = await api.attachment(attachment.url);
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = attachment.name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function Tick({ status, words }: { status: Status; words: Words }) {
  const mark = { sending: '◷', failed: '!', sent: '✓', read: '✓✓' }[status];
  const label = { sending: words.sending, failed: words.failed, sent: words.sent, read: words.read }[status];
  return (
    <span class={`tick tick-${status}`} data-status={status}>
      <span aria-hidden="true">{mark}</span> <span class="tick-label">{label}</span>
    </span>
  );
}

interface BubbleProps {
  kind: VisitorMessage['kind'];
  author: string | null;
  text: string | null;
  attachments: { key: string; name: string; size: number; attachment: VisitorAttachment | null }[];
  time: string;
  status: Status | null;
  words: Words;
  language: Language;
  api: VisitorApi;
  onRetry?: () => void;
}

function Bubble(props: BubbleProps) {
  const { words, language } = props;
  const who = props.kind === 'client' ? words.you : props.kind === 'operator' ? (props.author ?? words.support) : null;
  return (
    <div class={`msg msg-${props.kind}`}>
      {who !== null && <span class="who">{who}</span>}
      {props.text !== null && <p class="text">{props.text}</p>}
      {props.attachments.map((file) => {
        const { attachment } = file;
        const label = `${file.name} (${formatBytes(file.size, language)})`;
        return attachment ? (
          <button key={file.key} type="button" class="file" aria-label={words.download(label)} onClick={() => void download(props.api, attachment).catch(() => undefined)}>
            <Clip /> {label}
          </button>
        ) : (
          <span key={file.key} class="file">
            <Clip /> {label}
          </span>
        );
      })}
      <span class="meta">
        <time dateTime={props.time}>{formatTime(props.time, language)}</time>
        {props.status !== null && <Tick status={props.status} words={words} />}
        {props.onRetry && (
          <button type="button" class="retry" onClick={props.onRetry}>
            {words.retry}
          </button>
        )}
      </span>
    </div>
  );
}

export function ServerMessage({ message, words, language, api }: { message: VisitorMessage; words: Words; language: Language; api: VisitorApi }) {
  return (
    <Bubble
      kind={message.kind}
      author={message.author}
      text={message.message}
      attachments={message.attachments.map((attachment) => ({ key: String(attachment.id), name: attachment.name, size: attachment.size, attachment }))}
      time={message.created_at}
      status={message.kind === 'client' ? (message.is_read ? 'read' : 'sent') : null}
      words={words}
      language={language}
      api={api}
    />
  );
}

export function PendingView({ pending, words, language, api, onRetry }: { pending: PendingMessage; words: Words; language: Language; api: VisitorApi; onRetry: () => void }) {
  return (
    <Bubble
      kind="client"
      author={null}
      text={pending.text}
      attachments={pending.uploads.map((upload) => ({ key: upload.id, name: upload.name, size: upload.size, attachment: null }))}
      time={pending.createdAt}
      status={pending.status}
      words={words}
      language={language}
      api={api}
      {...(pending.status === 'failed' ? { onRetry } : {})}
    />
  );
}
