import type { Clock } from '../clock';
import type { StoreQueries } from '../store/contract';
import type { AccessEventSink } from './access-events';
import { NotVisibleError } from './errors';

/** Changes to operator accounts that end access elsewhere; the admin API and the CLI call these. */
export class UserService {
  constructor(
    private readonly store: StoreQueries,
    private readonly access: AccessEventSink,
    private readonly clock: Clock,
  ) {}

  /**
   * Deactivates a user: their tokens (logins and personal API tokens) are revoked, so reactivating
   * the account later brings none of them back, and every realtime subscription they authorised ends
   * before this resolves.
   */
  async deactivate(userId: number): Promise<void> {
    if (!(await this.store.users.byId(userId))) throw new NotVisibleError('user');
    await this.store.users.setActive(userId, false, this.clock.now());
    for (const tokenId of await this.store.tokens.idsOf(userId)) await this.store.tokens.revoke(tokenId);
    await this.access.accessChanged({ type: 'user.deactivated', userId });
  }
}
