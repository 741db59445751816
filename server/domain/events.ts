import type { ChatSummary, MessageRecord, NamedRef } from './records';

// What happened, as the domain tells it: records and their audience, no wire shapes. Each dialect's
// realtime presenter turns these into the events its clients subscribe to.

/** The sender's own realtime connection, which does not hear about what it just did (Laravel's `toOthers()`). */
type Except = { exceptSocketId: string | null };

export type DomainEvent =
  | ({ type: 'chat.created'; chat: ChatSummary; viewerIds: number[] } & Except)
  | ({ type: 'chat.updated'; chat: ChatSummary; viewerIds: number[] } & Except)
  | ({ type: 'message.created'; message: MessageRecord; chat: ChatSummary; viewerIds: number[] } & Except)
  | ({ type: 'message.hidden'; message: MessageRecord; chat: ChatSummary; viewerIds: number[] } & Except)
  /** Its text was edited or attachments were added (the CRM dialect). */
  | ({ type: 'message.updated'; message: MessageRecord; chat: ChatSummary; viewerIds: number[] } & Except)
  | ({ type: 'message.deleted'; messageId: number; chat: ChatSummary; viewerIds: number[] } & Except)
  /** `viewerIds`: who saw it before it went. */
  | ({ type: 'chat.deleted'; chatId: number; viewerIds: number[] } & Except)
  /** `user` null: the customer is typing (in the website widget, or in a channel that tells its webhook). */
  | ({ type: 'typing'; chatId: number; user: NamedRef | null; typing: boolean } & Except)
  /** Messages of the other side read up to `upToId`: the customer's by an operator, or the operators' by the visitor. */
  | ({ type: 'messages.read'; chatId: number; reader: 'operator' | 'visitor'; upToId: number } & Except);

export interface DomainEventSink {
  emit(event: DomainEvent): void;
}

/** Fans domain events out to every dialect's presenter. */
export class DomainEventBus implements DomainEventSink {
  private readonly sinks = new Set<DomainEventSink>();

  add(sink: DomainEventSink): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }

  emit(event: DomainEvent): void {
    for (const sink of this.sinks) sink.emit(event);
  }
}
