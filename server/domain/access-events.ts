// Changes of who may listen to what, for whatever holds open subscriptions (the realtime server
// ends those no longer allowed). Unlike domain events they are awaited: once the request that caused
// one has answered, nobody who lost access hears of what happens next.

export type AccessChange =
  /** An access token was revoked (logout, or a user signing out one of their devices). */
  | { type: 'access.revoked'; tokenId: number }
  /** A user was deactivated: none of their tokens works any longer. */
  | { type: 'user.deactivated'; userId: number }
  /**
   * What a user may see changed (role, sources, departments): whatever they listen to must be
   * decided again, and their desk must read again what it now sees.
   */
  | { type: 'user.scope_changed'; userId: number }
  /** Who sees the chat may have changed (its placement or its participants): whoever listens must be checked again. */
  | { type: 'chat.audience_changed'; chatId: number };

export interface AccessEventSink {
  accessChanged(change: AccessChange): Promise<void>;
}

/** Fans access changes out to every transport that holds subscriptions. */
export class AccessEventHub implements AccessEventSink {
  private readonly sinks = new Set<AccessEventSink>();

  add(sink: AccessEventSink): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }

  async accessChanged(change: AccessChange): Promise<void> {
    await Promise.all([...this.sinks].map((sink) => sink.accessChanged(change)));
  }
}
