// The visitor API as the frame calls it: same origin as the server, the widget token in `?token=`
// (it is public), the space token only in the `X-Space-Token` header.
import { SPACE_TOKEN_HEADER, type VisitorSpaceCreated, type VisitorUpload } from '../../common/visitor-api';
import type { CrmErrorBody, VisitorMessage, WidgetDataResponse } from '../../common/widget-api';

/** A failed call: the server's sentence (shown as is), per-field sentences on a 422. */
export class VisitorApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fields: Record<string, string[]> = {},
    readonly nextOpenAt: string | null = null,
  ) {
    super(message);
  }
}

/** No answer at all (offline, the server down). */
export class NetworkError extends Error {}

function errorBody(value: unknown): CrmErrorBody | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const error: unknown = Reflect.get(value, 'error');
  if (typeof error !== 'string') return undefined;
  const errors: unknown = Reflect.get(value, 'errors');
  const next: unknown = Reflect.get(value, 'next_open_at');
  const fields: Record<string, string[]> = {};
  if (typeof errors === 'object' && errors !== null) {
    for (const [field, sentences] of Object.entries(errors)) if (Array.isArray(sentences)) fields[field] = sentences.filter((s): s is string => typeof s === 'string');
  }
  return { error, errors: fields, next_open_at: typeof next === 'string' ? next : null };
}

export interface VisitorDetails {
  name?: string;
  email?: string;
  phone?: string;
  locale?: string;
  page_url?: string;
}

export class VisitorApi {
  spaceToken: string | null = null;
  socketId: string | null = null;

  constructor(private readonly widgetToken: string) {}

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (this.spaceToken !== null) headers[SPACE_TOKEN_HEADER] = this.spaceToken;
    if (this.socketId !== null) headers['X-Socket-ID'] = this.socketId;
    let payload: BodyInit | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const separator = path.includes('?') ? '&' : '?';
    let response: Response;
    try {
      // Relative to the frame (`…/widget/frame`), so a server under a path prefix works too.
      response = await fetch(new URL(`..${path}${separator}token=${encodeURIComponent(this.widgetToken)}`, location.href), { method, headers, body: payload, credentials: 'omit' });
    } catch {
      throw new NetworkError('network');
    }
    const text = await response.text().catch(() => '');
    if (!response.ok) {
      let failure: CrmErrorBody | undefined;
      try {
        failure = errorBody(JSON.parse(text));
      } catch {
        failure = undefined;
      }
      throw new VisitorApiError(response.status, failure?.error ?? `HTTP ${response.status}`, failure?.errors, failure?.next_open_at ?? null);
    }
    // The server answers with these wire types (common/): the frame trusts its own server.
    const result: T = text === '' ? null : JSON.parse(text);
    return result;
  }

  widgetData(): Promise<WidgetDataResponse> {
    return this.call('GET', '/chat/widget_data.json');
  }

  startSpace(details: VisitorDetails): Promise<VisitorSpaceCreated> {
    return this.call('POST', '/chat/widget/spaces.json', { token: this.widgetToken, ...details });
  }

  send(text: string | null, clientMessageId: string, attachments: string[]): Promise<VisitorMessage> {
    return this.call('POST', '/chat/widget/messages.json', { message: { message: text, client_message_id: clientMessageId }, attachments });
  }

  messages(afterId: number): Promise<VisitorMessage[]> {
    return this.call('GET', `/chat/widget/messages.json?after_id=${afterId}`);
  }

  upload(file: File): Promise<VisitorUpload> {
    const form = new FormData();
    form.append('file', file, file.name);
    return this.call('POST', '/chat/widget/uploads.json', form);
  }

  typing(typing: boolean): Promise<unknown> {
    return this.call('POST', '/chat/widget/typing.json', { typing });
  }

  read(upToId: number): Promise<unknown> {
    return this.call('POST', '/chat/widget/read.json', { up_to_id: upToId });
  }

  /** An attachment of the conversation: its URL needs the space token, so it is fetched, not linked. */
  async attachment(url: string): Promise<Blob> {
    const response = await fetch(url, { headers: this.spaceToken === null ? {} : { [SPACE_TOKEN_HEADER]: this.spaceToken }, credentials: 'omit' });
    if (!response.ok) throw new VisitorApiError(response.status, `HTTP ${response.status}`);
    return response.blob();
  }
}
