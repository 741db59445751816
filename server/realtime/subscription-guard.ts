import { chatChannel } from '../../common/realtime';
import type { AccessChange, AccessEventSink } from '../domain/access-events';
import type { Logger } from '../logger';
import type { StoreQueries } from '../store/contract';
import { decideChannel } from './channel-access';
import { CloseCode } from './protocol';
import type { PusherServer } from './pusher-server';

/**
 * Ends the realtime subscriptions an access change no longer allows: every one a revoked token
 * authorised; every socket of a deactivated user, or of a user whose scope changed (they reconnect);
 * and the `private-chat.{id}` subscriptions of users who no longer see that chat (asked again of
 * the same rule channel auth applies).
 */
export class SubscriptionGuard implements AccessEventSink {
  constructor(
    private readonly store: StoreQueries,
    private readonly realtime: PusherServer,
    private readonly logger: Logger,
  ) {}

  async accessChanged(change: AccessChange): Promise<void> {
    switch (change.type) {
      case 'access.revoked':
        this.realtime.withdraw((grant) => grant.tokenId === change.tokenId, 'The access token that authorised this channel was revoked.');
        return;
      case 'user.deactivated':
        // The sockets themselves close (4009: pusher-js does not reconnect); a new one could authorise nothing.
        this.realtime.disconnectUser(change.userId, CloseCode.unauthorized, 'The user was deactivated.');
        return;
      case 'user.scope_changed':
        // 4200: the client reconnects at once and subscribes again, so channel auth decides every channel
        // by the new scope, and a desk re-reads over REST after it (re)subscribes, so it learns of chats it now sees.
        this.realtime.disconnectUser(change.userId, CloseCode.reconnect, 'Your access changed; reconnect.');
        return;
      case 'chat.audience_changed':
        await this.recheck(chatChannel(change.chatId));
        return;
      default: {
        const unreachable: never = change;
        throw new Error(`unknown access change ${JSON.stringify(unreachable)}`);
      }
    }
  }

  /**
   * Every `intervalMs`, ends what tokens revoked outside this process still hold: `npm run admin --
   * user:deactivate` runs beside the server, on its database, and cannot tell it. Sockets of a user
   * now inactive close (4009); a revoked token's subscriptions end. Returns the stop function.
   */
  sweepEvery(intervalMs: number): () => void {
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      this.sweepRevoked()
        .catch((error: unknown) => this.logger.error('realtime: looking for tokens revoked elsewhere failed', error))
        .finally(() => {
          running = false;
        });
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  /** One pass of `sweepEvery`. */
  async sweepRevoked(): Promise<void> {
    const holders = this.realtime.grantHolders();
    if (holders.size === 0) return;
    const existing = await this.store.tokens.existing([...holders.keys()]);
    const revoked = new Set([...holders.keys()].filter((tokenId) => !existing.has(tokenId)));
    if (revoked.size === 0) return;
    const users = new Set([...revoked].map((tokenId) => holders.get(tokenId) ?? 0));
    for (const userId of users) {
      const user = await this.store.users.byId(userId);
      if (!user || !user.is_active) await this.accessChanged({ type: 'user.deactivated', userId });
    }
    this.realtime.withdraw((grant) => revoked.has(grant.tokenId), 'The access token that authorised this channel was revoked.');
  }

  private async recheck(channel: string): Promise<void> {
    this.realtime.noteAccessChange();
    const listening = [...this.realtime.usersListening(channel)];
    if (listening.length === 0) return;
    let refused: Set<number>;
    try {
      const allowed = await Promise.all(
        listening.map(async (userId) => {
          const user = await this.store.users.byId(userId);
          return user !== undefined && user.is_active && (await decideChannel(this.store, user, channel)).allowed;
        }),
      );
      refused = new Set(listening.filter((_, index) => !allowed[index]));
    } catch (error) {
      // Failing closed: a client that still may listen subscribes again after its next reconnect.
      this.logger.error(`realtime: checking who may still listen to ${channel} failed; ending its subscriptions`, error);
      refused = new Set(listening);
    }
    if (refused.size === 0) return;
    this.realtime.withdraw((grant, name) => name === channel && refused.has(grant.userId), 'You no longer see this chat.');
  }
}
