import type { RealtimeEventName } from '../../common/realtime';

/** One event published to one or more channels, the way Laravel's `broadcast(...)` does it. */
export interface Broadcast {
  channels: string[];
  event: RealtimeEventName;
  data: object;
  /** The sender's socket (`X-Socket-ID`), which does not receive it (Laravel's `toOthers()`). */
  exceptSocketId: string | null;
}

/** The seam between the domain and the realtime transport. */
export interface Broadcaster {
  publish(broadcast: Broadcast): void;
}

/** Fans events out to several broadcasters (the transport, and a recorder in tests or benchmarks). */
export class BroadcastHub implements Broadcaster {
  private readonly targets = new Set<Broadcaster>();

  add(target: Broadcaster): () => void {
    this.targets.add(target);
    return () => this.targets.delete(target);
  }

  publish(broadcast: Broadcast): void {
    for (const target of this.targets) target.publish(broadcast);
  }
}
