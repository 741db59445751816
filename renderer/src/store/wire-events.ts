// Push events of the engine → the store. One place, so every event has exactly one effect.
import type { DeskBridge } from '../bridge/desk-bridge';
import { useDesk } from './desk-store';

export function wireEvents(bridge: DeskBridge, onNotification: (payload: { chatId: number; title: string; body: string; sound: boolean; messageId: number }) => void): () => void {
  const { client } = bridge;
  const state = () => useDesk.getState();
  const offs = [
    client.on('chats.changed', (payload) => state().chatsChanged(payload)),
    client.on('messages.changed', (payload) => state().messagesChanged(payload)),
    client.on('typing', (payload) => state().typingEvent(payload)),
    // Typing hints seen before an outage are stale by the time it ends.
    client.on('connection', (connection) => useDesk.setState(connection.kind === 'offline' ? { connection, typing: {} } : { connection })),
    client.on('outbox.changed', ({ entries }) => useDesk.setState({ outbox: entries })),
    client.on('session.changed', ({ session, reason }) => state().sessionChanged(session, reason)),
    client.on('upload.progress', (upload) => state().uploadProgress(upload)),
    client.on('preferences.changed', (preferences) => useDesk.setState({ preferences })),
    client.on('notification', (payload) => onNotification(payload)),
    bridge.onShell('desk.openChat', ({ chatId }) => void state().openChat(chatId)),
  ];
  return () => {
    for (const off of offs) off();
  };
}
