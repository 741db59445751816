// The visitor's live channel, `private-space.{id}` over pusher-js (the Pusher protocol the server
// speaks), authorised at the widget's auth endpoint with the space token as a header. Realtime is a
// hint: every (re)subscription asks the caller to resync over REST.
import Pusher from 'pusher-js';
import { pusherWsPath, wireEventName } from '../../common/realtime';
import { SPACE_TOKEN_HEADER, spaceChannel, type VisitorRealtimePayloads } from '../../common/visitor-api';
import type { WidgetRealtimeSettings } from '../../common/widget-api';

export type SpaceEvent = { [E in keyof VisitorRealtimePayloads]: { name: E; data: VisitorRealtimePayloads[E] } }[keyof VisitorRealtimePayloads];

const EVENTS: (keyof VisitorRealtimePayloads)[] = ['NewChatMessage', 'UserTyping', 'SpaceUpdated', 'MessagesRead', 'MessageUpdated', 'MessageDeleted', 'ChatDeleted'];

export interface SpaceListener {
  event(event: SpaceEvent): void;
  /** Subscribed (again): whatever happened meanwhile is fetched over REST. */
  subscribed(): void;
  socketId(id: string | null): void;
}

/** Connects and listens; returns the disconnect. */
export function listenToSpace(settings: WidgetRealtimeSettings, widgetToken: string, spaceId: number, spaceToken: string, listener: SpaceListener): () => void {
  const pusher = new Pusher(settings.key, {
    cluster: '',
    wsHost: settings.host,
    wsPort: settings.port,
    wssPort: settings.port,
    wsPath: pusherWsPath(settings.path, settings.key),
    forceTLS: settings.scheme === 'https',
    enabledTransports: ['ws', 'wss'],
    disableStats: true,
    channelAuthorization: {
      endpoint: settings.auth_endpoint,
      transport: 'ajax',
      params: { token: widgetToken },
      headers: { [SPACE_TOKEN_HEADER]: spaceToken },
    },
  });
  pusher.connection.bind('state_change', (states: { current: string }) => {
    listener.socketId(states.current === 'connected' ? pusher.connection.socket_id : null);
  });
  const channel = pusher.subscribe(spaceChannel(spaceId));
  // pusher-js subscribes again after every reconnect, and says so with this event.
  channel.bind('pusher:subscription_succeeded', () => listener.subscribed());
  for (const name of EVENTS) {
    channel.bind(wireEventName(name), (data: never) => listener.event({ name, data }));
  }
  return () => pusher.disconnect();
}
