// Web notifications for the browser desk. In Electron the shell shows native ones (the page gets
// no `notification` events there), so none of this runs in the desktop app.
import { bridgeKind } from '../store/bridge-ref';

const DISMISSED_KEY = 'switchboard.notifyPromptDismissed';

export function notificationsSupported(): boolean {
  return bridgeKind() === 'web' && typeof Notification !== 'undefined';
}

export function canAskForNotifications(): boolean {
  return notificationsSupported() && Notification.permission === 'default';
}

export function notificationPromptDismissed(): boolean {
  try {
    return localStorage.getItem(DISMISSED_KEY) === '1';
  } catch {
    return false;
  }
}

export function dismissNotificationPrompt(): void {
  try {
    localStorage.setItem(DISMISSED_KEY, '1');
  } catch {
    // Private mode: the prompt may come back next time, which is harmless.
  }
}

export async function requestNotifications(): Promise<NotificationPermission> {
  if (!notificationsSupported()) return 'denied';
  const permission = await Notification.requestPermission();
  if (permission !== 'default') dismissNotificationPrompt();
  return permission;
}

let audio: AudioContext | null = null;

/** A short, soft two-tone chime (no sound file to fetch). */
function chime(): void {
  try {
    audio ??= new AudioContext();
    const now = audio.currentTime;
    for (const [index, frequency] of [880, 1320].entries()) {
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, now + index * 0.12);
      gain.gain.exponentialRampToValueAtTime(0.08, now + index * 0.12 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, now + index * 0.12 + 0.25);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(now + index * 0.12);
      oscillator.stop(now + index * 0.12 + 0.3);
    }
  } catch {
    // No audio output: the notification alone will do.
  }
}

export function showWebNotification(payload: { chatId: number; messageId: number; title: string; body: string; sound: boolean }, open: (chatId: number) => void): void {
  if (!notificationsSupported() || Notification.permission !== 'granted') return;
  const notification = new Notification(payload.title, { body: payload.body, tag: `chat-${payload.chatId}`, icon: './favicon.svg' });
  notification.onclick = () => {
    window.focus();
    open(payload.chatId);
    notification.close();
  };
  if (payload.sound) chime();
}
