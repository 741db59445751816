// Who authorised which subscription. Channel auth happens over HTTP (`POST /broadcasting/auth` answers
// a signature) and the socket then subscribes with that signature, so the auth endpoint records the
// user and token here, keyed by (socket, channel), and the subscription takes them over when the socket
// subscribes. A subscription lives only while every user who authorised it still may listen: an access
// change (logout, deactivation, a chat moving away) withdraws their grants and ends it.

/** One user's authorisation of one channel, with the access token it was made with. */
export interface Grant {
  userId: number;
  tokenId: number;
}

interface Offer {
  grants: Grant[];
  /** An access change withdrew a grant before the socket used its signature: subscribing with it is refused. */
  withdrawn: boolean;
}

function addGrant(grants: Grant[], grant: Grant): void {
  if (!grants.some((g) => g.tokenId === grant.tokenId && g.userId === grant.userId)) grants.push(grant);
}

/** The grants of one connection: offered by the auth endpoint, then bound to the subscriptions they opened. */
export class ConnectionGrants {
  private readonly offers = new Map<string, Offer>();
  private readonly bound = new Map<string, Grant[]>();

  /** `offerLimit`: signatures answered but not yet used, so a client cannot grow this without bound. */
  constructor(private readonly offerLimit: number) {}

  /** False when the connection already holds `offerLimit` unused signatures for other channels. */
  offer(channel: string, grant: Grant): boolean {
    const offer = this.offers.get(channel);
    if (offer && !offer.withdrawn) {
      addGrant(offer.grants, grant);
      return true;
    }
    // Nothing is evicted: a withdrawn offer forgotten would let its signature subscribe after all.
    if (!offer && this.offers.size >= this.offerLimit) return false;
    // After a withdrawal this is a fresh decision for the same signature (it depends on socket and channel only).
    this.offers.set(channel, { grants: [grant], withdrawn: false });
    return true;
  }

  /**
   * The socket subscribed to `channel` with a valid signature: the offer's grants now hold the
   * subscription. False when a grant was withdrawn meanwhile. No offer at all is a signature made
   * elsewhere (the app's own backend with our secret): nobody of ours answers for it.
   */
  bind(channel: string): boolean {
    const offer = this.offers.get(channel);
    if (!offer) return true;
    if (offer.withdrawn) return false;
    this.offers.delete(channel);
    const grants = this.bound.get(channel) ?? [];
    for (const grant of offer.grants) addGrant(grants, grant);
    this.bound.set(channel, grants);
    return true;
  }

  /** The subscription ended (unsubscribe, close, or ended by the server). */
  release(channel: string): void {
    this.bound.delete(channel);
  }

  /** Users whose grants hold a subscription to `channel` or wait for the socket to use them. */
  usersOf(channel: string): number[] {
    const offer = this.offers.get(channel);
    const grants = [...(this.bound.get(channel) ?? []), ...(offer && !offer.withdrawn ? offer.grants : [])];
    return [...new Set(grants.map((grant) => grant.userId))];
  }

  /** Every grant that holds a subscription or may still open one (withdrawn signatures are spent). */
  all(): Grant[] {
    const unused = [...this.offers.values()].filter((offer) => !offer.withdrawn).flatMap((offer) => offer.grants);
    return [...unused, ...[...this.bound.values()].flat()];
  }

  /** Whether this connection acts for the user: a grant of theirs holds a subscription or may open one. */
  heldBy(userId: number): boolean {
    return this.all().some((grant) => grant.userId === userId);
  }

  /** Withdraws matching grants: unused signatures stop working; returns the subscriptions that must end. */
  withdraw(matches: (grant: Grant, channel: string) => boolean): string[] {
    for (const [channel, offer] of this.offers) {
      if (offer.grants.some((grant) => matches(grant, channel))) offer.withdrawn = true;
    }
    const ended: string[] = [];
    for (const [channel, grants] of this.bound) {
      if (grants.some((grant) => matches(grant, channel))) ended.push(channel);
    }
    return ended;
  }
}

/** What the auth endpoint needs of the realtime server. */
export interface GrantRecorder {
  /** Changes whenever an access change starts, so an authorisation decided across one can be decided again. */
  readonly accessEpoch: number;
  /** Records a grant for a connected socket; 'full' when it holds too many unused ones; 'unknown' for no such socket here. */
  offerGrant(socketId: string, channel: string, grant: Grant): 'recorded' | 'full' | 'unknown';
  /** Withdraws matching grants on every connection and ends the subscriptions they held. */
  withdraw(matches: (grant: Grant, channel: string) => boolean, reason: string): void;
}
