import { formatTimestamp } from '../../../common/time';
import type { VisitorSpaceStatus, VisitorUpload } from '../../../common/visitor-api';
import type { VisitorAttachment, VisitorMessage } from '../../../common/widget-api';
import type { AttachmentRecord, ChatRecord, MessageRecord, VisitorUploadRecord } from '../../domain/records';
import { firstName } from '../../domain/visitor-visibility';

// Domain record → the visitor's wire. Built field by field from what a visitor may know: never a
// spread of a record, so a field added to messages for the desk cannot leak to a website.

export interface VisitorView {
  baseUrl: string;
  widgetToken: string;
  /** The id up to which the visitor has read the operators' messages. */
  readUpTo: number;
}

export function presentVisitorAttachment(attachment: AttachmentRecord, view: Pick<VisitorView, 'baseUrl' | 'widgetToken'>): VisitorAttachment {
  return {
    id: attachment.id,
    name: attachment.name,
    mime_type: attachment.mime_type,
    size: attachment.size,
    url:
      attachment.storage_path === null && attachment.external_url !== null
        ? attachment.external_url
        : `${view.baseUrl}/chat/widget/attachments/${attachment.id}?token=${encodeURIComponent(view.widgetToken)}`,
  };
}

/** A message the visitor may see (`visibleToVisitor`) in the visitor's shape. */
export function presentVisitorMessage(message: MessageRecord, view: VisitorView): VisitorMessage {
  const fromClient = message.sender_type === 'client';
  return {
    id: message.id,
    space_id: message.chat_id,
    message: message.text,
    kind: fromClient ? 'client' : 'operator',
    author: fromClient ? null : firstName(message.sender_name),
    attachments: message.attachments.map((attachment) => presentVisitorAttachment(attachment, view)),
    client_message_id: fromClient ? message.client_message_id : null,
    is_read: fromClient ? message.is_read : message.id <= view.readUpTo,
    created_at: formatTimestamp(message.created_at),
    updated_at: formatTimestamp(message.updated_at),
  };
}

export function presentVisitorUpload(upload: VisitorUploadRecord): VisitorUpload {
  return { id: upload.id, name: upload.original_name, mime_type: upload.mime_type, size: upload.size };
}

export function visitorStatus(chat: Pick<ChatRecord, 'status'>): VisitorSpaceStatus {
  return chat.status === 'closed' ? 'closed' : 'open';
}
