import { chatChannel } from '../../common/realtime';
import type { AccessChange, AccessEventSink } from '../domain/access-events';
import type { Logger } from '../logger';
import type { StoreQueries } from '../store/contract';
import { decideChannel } from './channel-access';
import type { PusherServer } from './pusher-server';

/**
 * Ends the realtime subscriptions an access change no longer allows: every one a revoked token or a
 * deactivated user authorised, and the `private-chat.{id}` subscriptions of users who no longer see
 * that chat (asked again of the same rule channel auth applies). `private-user.{id}` and
 * `presence-operators` depend on the user alone, so only the first two end them.
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
        this.realtime.withdraw((grant) => grant.userId === change.userId, 'The user who authorised this channel was deactivated.');
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
