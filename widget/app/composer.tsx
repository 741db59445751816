import { useRef, useState } from 'preact/hooks';
import type { ClientDataField } from '../../common/widget-api';
import type { Conversation, ConversationState } from './conversation';
import { formatBytes } from './i18n';
import { Clip } from './icons';

interface FieldProps {
  field: ClientDataField;
  id: string;
  invalid: boolean;
  value: string;
  onInput: (value: string) => void;
}

function FieldInput({ field, id, invalid, value, onInput }: FieldProps) {
  const common = {
    id,
    required: true,
    value,
    'aria-invalid': invalid,
    'aria-describedby': invalid ? `${id}-error` : undefined,
    onInput: (event: { currentTarget: HTMLInputElement }) => onInput(event.currentTarget.value),
  };
  switch (field) {
    case 'name':
      return <input type="text" autocomplete="name" {...common} />;
    case 'email':
      return <input type="email" autocomplete="email" {...common} />;
    case 'phone':
      return <input type="tel" autocomplete="tel" {...common} />;
    default: {
      const unreachable: never = field;
      return unreachable;
    }
  }
}

/** The client-data form (before the first message, when the widget asks for it) and the composer. */
export function Composer({ conversation, state }: { conversation: Conversation; state: ConversationState }) {
  const { words, data, language } = state;
  const [text, setText] = useState('');
  const [details, setDetails] = useState<Partial<Record<ClientDataField, string>>>({});
  const [dragging, setDragging] = useState(false);
  const picker = useRef<HTMLInputElement>(null);
  if (!data) return null;
  const askDetails = data.require_client_data && state.space === null;
  const attachments = data.allow_client_attachments;
  const uploading = state.drafts.some((draft) => draft.upload === null);

  const submit = async (event?: Event) => {
    event?.preventDefault();
    if (uploading) return;
    if (await conversation.submit(text, details)) setText('');
  };
  const attach = (files: FileList | null | undefined) => {
    if (files && files.length > 0) void conversation.attach(Array.from(files), details);
  };

  return (
    <form
      class={`composer${dragging ? ' dragging' : ''}`}
      onSubmit={(event) => void submit(event)}
      onDragOver={(event) => {
        if (!attachments) return;
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(event) => {
        if (!attachments) return;
        event.preventDefault();
        setDragging(false);
        attach(event.dataTransfer?.files);
      }}
      noValidate
    >
      {askDetails && (
        <fieldset class="details">
          <legend>{words.clientData}</legend>
          {data.client_data_fields.map((field) => {
            const errors = state.fieldErrors[field] ?? [];
            const id = `field-${field}`;
            return (
              <div class="field" key={field}>
                <label for={id}>{words[field]}</label>
                <FieldInput
                  field={field}
                  id={id}
                  invalid={errors.length > 0}
                  value={details[field] ?? ''}
                  onInput={(value) => setDetails({ ...details, [field]: value })}
                />
                {errors.length > 0 && (
                  <p class="field-error" id={`${id}-error`}>
                    {errors.join(' ')}
                  </p>
                )}
              </div>
            );
          })}
        </fieldset>
      )}
      {state.drafts.length > 0 && (
        <ul class="drafts" aria-label={words.attach}>
          {state.drafts.map((draft) => (
            <li key={draft.key}>
              {draft.upload === null ? words.uploading(draft.name) : <><Clip /> {`${draft.name} (${formatBytes(draft.size, language)})`}</>}
              <button type="button" class="remove" aria-label={words.remove(draft.name)} onClick={() => conversation.removeDraft(draft.key)}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {dragging && <p class="drop">{words.drop}</p>}
      <div class="row">
        <label class="sr-only" for="message">
          {words.messageLabel}
        </label>
        <textarea
          id="message"
          rows={2}
          placeholder={words.placeholder}
          value={text}
          onInput={(event) => {
            setText(event.currentTarget.value);
            conversation.typing();
          }}
          onKeyDown={(event) => {
            // Enter sends, Shift+Enter starts a new line (as in the desk).
            if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) void submit(event);
          }}
          onPaste={(event) => {
            const files = event.clipboardData?.files;
            if (attachments && files && files.length > 0) {
              event.preventDefault();
              attach(files);
            }
          }}
        />
        {attachments && (
          <>
            <input ref={picker} class="sr-only" type="file" multiple tabIndex={-1} aria-hidden="true" accept={data.upload.mime_types.join(',')} onChange={(event) => {
              attach(event.currentTarget.files);
              event.currentTarget.value = '';
            }} />
            <button type="button" class="attach" aria-label={words.attach} title={words.attach} onClick={() => picker.current?.click()}>
              <Clip />
            </button>
          </>
        )}
        <button type="submit" class="send" disabled={uploading}>
          {words.send}
        </button>
      </div>
      {attachments && <p class="hint">{words.fileLimit(formatBytes(data.upload.max_bytes, language))}</p>}
    </form>
  );
}
