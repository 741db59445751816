import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { VisitorSpaceCreated } from '../../common/visitor-api';
import type { CrmErrorBody, VisitorMessage } from '../../common/widget-api';
import { readWidgetSettings, type WidgetSettings } from '../../server/domain/widget-settings';
import type { ApiResponse, RequestOptions, TestServer } from '../helpers/server';

// Shared by the visitor API suites: the demo widget, a visitor's requests with its two tokens, and
// changing a widget's settings the way an administrator's save does (the whole settings object).

export const DEMO_WIDGET_TOKEN = 'demo-widget-token';
export const DEMO_WIDGET_ID = 1;

export interface Visitor {
  widgetToken: string;
  spaceToken: string;
  spaceId: number;
}

/** A request of the visitor API: the widget token in `?token=`, the space token in `X-Space-Token`. */
export function asVisitor<T = unknown>(
  s: TestServer,
  visitor: Pick<Visitor, 'widgetToken' | 'spaceToken'>,
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<ApiResponse<T>> {
  const separator = path.includes('?') ? '&' : '?';
  return s.request<T>(method, `${path}${separator}token=${encodeURIComponent(visitor.widgetToken)}`, {
    ...options,
    headers: { 'X-Space-Token': visitor.spaceToken, ...options.headers },
  });
}

/** A visitor starts a conversation; fails the test unless it is a 201. */
export async function startSpace(s: TestServer, details: Record<string, string> = {}, widgetToken = DEMO_WIDGET_TOKEN): Promise<Visitor> {
  const res = await s.request<VisitorSpaceCreated>('POST', '/chat/widget/spaces.json', { body: { token: widgetToken, ...details } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return { widgetToken, spaceToken: res.body.space_token, spaceId: res.body.space_id };
}

export function visitorWrites(s: TestServer, visitor: Visitor, text: string, clientMessageId: string = randomUUID(), attachments?: string[]) {
  return asVisitor<VisitorMessage & CrmErrorBody>(s, visitor, 'POST', '/chat/widget/messages.json', {
    body: { message: { message: text, client_message_id: clientMessageId }, ...(attachments ? { attachments } : {}) },
  });
}

export function visitorReads(s: TestServer, visitor: Visitor, afterId = 0) {
  return asVisitor<VisitorMessage[]>(s, visitor, 'GET', `/chat/widget/messages.json?after_id=${afterId}`);
}

/** Changes some of a widget's settings, keeping the others. */
export async function setWidget(s: TestServer, widgetId: number, patch: Partial<WidgetSettings>): Promise<void> {
  const source = await s.server.store.widgets.byId(widgetId);
  assert.ok(source, `widget ${widgetId}`);
  const settings = { ...readWidgetSettings(source.settings), ...patch };
  assert.ok(await s.server.store.widgets.update(widgetId, { settings }, s.clock.now()));
}

let widgetSerial = 0;
/** A second widget (another source), with its own token. */
export async function createWidget(s: TestServer, settings: Partial<WidgetSettings> = {}): Promise<{ id: number; token: string }> {
  widgetSerial++;
  const token = `test-widget-${widgetSerial}-${randomUUID()}`;
  const id = await s.server.store.widgets.create({ name: `Widget ${widgetSerial}`, webhookSecret: randomUUID(), publicToken: token, settings: {} }, s.clock.now());
  if (Object.keys(settings).length > 0) await setWidget(s, id, settings);
  return { id, token };
}

/** `HH:MM` in UTC, `offsetMs` from the server's now. */
export function utcClock(s: TestServer, offsetMs: number): string {
  const date = new Date(s.clock.now() + offsetMs);
  return `${String(date.getUTCHours()).padStart(2, '0')}:${String(date.getUTCMinutes()).padStart(2, '0')}`;
}

/** Opening hours every day that begin `startsInMs` from now and last an hour (UTC), so the widget is closed now. */
export function hoursStartingIn(s: TestServer, startsInMs: number): Pick<WidgetSettings, 'use_opening_hours' | 'opening_hours' | 'time_zone'> {
  const range = [{ from: utcClock(s, startsInMs), to: utcClock(s, startsInMs + 60 * 60_000) }];
  return {
    use_opening_hours: true,
    time_zone: 'UTC',
    opening_hours: { monday: range, tuesday: range, wednesday: range, thursday: range, friday: range, saturday: range, sunday: range },
  };
}

/** A tiny valid PNG (1×1), for uploads. */
export const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

export function pngForm(name = 'photo.png'): FormData {
  const form = new FormData();
  form.append('file', new Blob([PNG_1X1], { type: 'image/png' }), name);
  return form;
}
