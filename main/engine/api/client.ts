import { createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type {
  ApiCannedResponse,
  ApiChat,
  ApiConfig,
  ApiMessage,
  ApiUpload,
  ApiUser,
  ChatChangesResponse,
  ChatListResponse,
  ChatMessagesBatchResponse,
} from '../../../common/api';
import { HttpStatusError, isApiErrorBody, NetworkError, parseRetryAfter } from './errors';

export interface ApiClientOptions {
  /** The server's base URL, e.g. `http://127.0.0.1:8080`. */
  serverUrl: string;
  token: () => string | null;
  /** The realtime socket id, sent as `X-Socket-ID` so the server does not echo our own changes to us. */
  socketId: () => string | null;
  timeoutMs: number;
  /** Told about every answer and every unreachable moment: the connection state follows it. */
  onReachable?: () => void;
  onUnreachable?: (error: NetworkError) => void;
  /** A 401 on an authenticated request: the token was revoked or expired. */
  onUnauthenticated?: () => void;
  userAgent?: string;
}

export interface ApiOperator {
  id: number;
  name: string;
  roles: string[];
}

interface RequestOptions {
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** Without the token (login, config). */
  anonymous?: boolean;
  /** Safe to repeat when a dead pooled socket refused it (GETs always are). */
  retryStale?: boolean;
  timeoutMs?: number;
}

/** Normalises what the user typed (`example.com:8080/`) to a base URL. */
export function normaliseServerUrl(input: string): string {
  const trimmed = input.trim().replace(/\/+$/, '');
  const withScheme = /^https?:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`;
  const url = new URL(withScheme);
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

/** The v1 REST API over Node's fetch. Every method resolves with the `data` of the answer. */
export class ApiClient {
  readonly serverUrl: string;

  constructor(private readonly options: ApiClientOptions) {
    this.serverUrl = normaliseServerUrl(options.serverUrl);
  }

  private headers(anonymous: boolean): Record<string, string> {
    const headers: Record<string, string> = { Accept: 'application/json', 'User-Agent': this.options.userAgent ?? 'SwitchboardDesk' };
    const token = anonymous ? null : this.options.token();
    if (token) headers.Authorization = `Bearer ${token}`;
    const socketId = this.options.socketId();
    if (socketId) headers['X-Socket-ID'] = socketId;
    return headers;
  }

  url(path: string, query?: Record<string, string | number | undefined>): string {
    const url = new URL(`${this.serverUrl}/api/v1${path}`);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url.toString();
  }

  /** fetch, with unreachability turned into NetworkError and error statuses into HttpStatusError. */
  private async fetch(url: string, init: RequestInit, timeoutMs: number, retryStale = init.method === 'GET'): Promise<Response> {
    let response: Response;
    try {
      response = await this.fetchOnce(url, init, timeoutMs, retryStale ? 3 : 0);
    } catch (error) {
      const reason = error instanceof Error && error.cause instanceof Error ? error.cause.message : error instanceof Error ? error.message : String(error);
      const failure = new NetworkError(`The server cannot be reached (${reason}).`, { cause: error });
      this.options.onUnreachable?.(failure);
      throw failure;
    }
    this.options.onReachable?.();
    if (response.ok) return response;
    if (response.status === 401 && init.headers !== undefined && 'Authorization' in init.headers) this.options.onUnauthenticated?.();
    const text = await response.text().catch(() => '');
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = null;
    }
    throw new HttpStatusError(response.status, isApiErrorBody(body) ? body : null, parseRetryAfter(response.headers.get('retry-after'), Date.now()));
  }

  /**
   * After the server restarts, pooled keep-alive sockets are dead and the first requests on them
   * fail at once ("other side closed"). Such a request never reached the server, so a GET (or a
   * caller that says it is safe) goes again on a fresh socket instead of declaring an outage.
   */
  private async fetchOnce(url: string, init: RequestInit, timeoutMs: number, staleRetries: number): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
      } catch (error) {
        const code = error instanceof Error && error.cause instanceof Error && 'code' in error.cause ? error.cause.code : undefined;
        if (attempt >= staleRetries || (code !== 'UND_ERR_SOCKET' && code !== 'ECONNRESET')) throw error;
      }
    }
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<{ data: T; status: number }> {
    const headers = this.headers(options.anonymous ?? false);
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    const response = await this.fetch(this.url(path, options.query), { method, headers, body }, options.timeoutMs ?? this.options.timeoutMs, method === 'GET' || options.retryStale === true);
    let parsed: unknown;
    try {
      parsed = await response.json();
    } catch (error) {
      throw new NetworkError('The server sent an unreadable answer.', { cause: error });
    }
    if (typeof parsed !== 'object' || parsed === null || !('data' in parsed)) {
      throw new HttpStatusError(response.status, { message: 'The server sent an answer without data.', code: 'SERVER_ERROR' }, null);
    }
    // The shape is the server's contract (common/api.ts); the engine's tests run against the real server.
    return { data: parsed.data as T, status: response.status };
  }

  /** A request the server answers with 204 No Content (a DELETE): nothing to parse. */
  async requestEmpty(method: string, path: string): Promise<void> {
    const response = await this.fetch(this.url(path), { method, headers: this.headers(false) }, this.options.timeoutMs, method === 'GET');
    await response.body?.cancel();
  }

  async config(): Promise<ApiConfig> {
    return (await this.request<ApiConfig>('GET', '/config', { anonymous: true })).data;
  }

  async login(email: string, password: string, deviceName: string): Promise<{ token: string; user: ApiUser }> {
    return (await this.request<{ token: string; user: ApiUser }>('POST', '/auth/login', { anonymous: true, retryStale: true, body: { email, password, device_name: deviceName } }))
      .data;
  }

  async logout(): Promise<void> {
    await this.request('POST', '/auth/logout', { timeoutMs: 5000 });
  }

  async me(): Promise<ApiUser> {
    return (await this.request<ApiUser>('GET', '/auth/me')).data;
  }

  async chats(query: { page: number; perPage: number; search?: string; tab?: string }): Promise<ChatListResponse> {
    const headers = this.headers(false);
    const response = await this.fetch(
      this.url('/chats', { page: query.page, per_page: query.perPage, search: query.search, tab: query.tab }),
      { method: 'GET', headers },
      this.options.timeoutMs,
    );
    const parsed: unknown = await response.json();
    // As in request(): the server's contract.
    return parsed as ChatListResponse;
  }

  /** The chats changed since `cursor` (a `meta.sync_cursor`), one keyset page. */
  async chatChanges(cursor: string, perPage: number): Promise<ChatChangesResponse> {
    const response = await this.fetch(this.url('/chats', { updated_since: cursor, per_page: perPage }), { method: 'GET', headers: this.headers(false) }, this.options.timeoutMs);
    const parsed: unknown = await response.json();
    // As in request(): the server's contract.
    return parsed as ChatChangesResponse;
  }

  /** The newest `limit` messages of each of `chatIds` the caller sees (newest first), in one request. */
  async messagesBatch(chatIds: number[], limit: number): Promise<ChatMessagesBatchResponse> {
    const response = await this.fetch(this.url('/chats/messages', { ids: chatIds.join(','), limit }), { method: 'GET', headers: this.headers(false) }, this.options.timeoutMs);
    const parsed: unknown = await response.json();
    return parsed as ChatMessagesBatchResponse;
  }

  async chat(chatId: number): Promise<ApiChat> {
    return (await this.request<ApiChat>('GET', `/chats/${chatId}`)).data;
  }

  /** Newest first; `beforeId` pages towards older messages. */
  async messages(chatId: number, beforeId: number | null, limit: number): Promise<ApiMessage[]> {
    return (await this.request<ApiMessage[]>('GET', `/chats/${chatId}/messages`, { query: { before_id: beforeId ?? undefined, limit } })).data;
  }

  /** 201 for a new message, 200 when the server already had this client_message_id. */
  async send(chatId: number, body: { text?: string | null; attachments?: string[]; client_message_id: string }): Promise<{ message: ApiMessage; created: boolean }> {
    // Safe to repeat on a dead socket: the client_message_id makes a second arrival return the first.
    const { data, status } = await this.request<ApiMessage>('POST', `/chats/${chatId}/send`, { body, retryStale: true });
    return { message: data, created: status === 201 };
  }

  async assignMe(chatId: number): Promise<ApiChat> {
    return (await this.request<ApiChat>('POST', `/chats/${chatId}/assign-me`)).data;
  }

  async close(chatId: number): Promise<ApiChat> {
    return (await this.request<ApiChat>('POST', `/chats/${chatId}/close`)).data;
  }

  async transfer(chatId: number, assignedTo: number, note: string | undefined): Promise<ApiChat> {
    return (await this.request<ApiChat>('POST', `/chats/${chatId}/transfer`, { body: note ? { assigned_to: assignedTo, note } : { assigned_to: assignedTo } })).data;
  }

  async markRead(chatId: number, upToId: number | undefined): Promise<ApiChat> {
    return (await this.request<ApiChat>('POST', `/chats/${chatId}/read`, { body: upToId === undefined ? {} : { up_to_id: upToId } })).data;
  }

  /** `POST /messages/{id}/hide`: the message as it now is (hidden, by whom, when). */
  async hideMessage(messageId: number): Promise<ApiMessage> {
    return (await this.request<ApiMessage>('POST', `/messages/${messageId}/hide`)).data;
  }

  async typing(chatId: number, typing: boolean): Promise<void> {
    await this.request('POST', `/chats/${chatId}/typing`, { body: { typing }, timeoutMs: 5000 });
  }

  /** Active operators; with a chat, those who can see it. */
  async operators(chatId: number | null): Promise<ApiOperator[]> {
    return (await this.request<ApiOperator[]>('GET', '/operators', { query: { chat_id: chatId ?? undefined } })).data;
  }

  async cannedResponses(): Promise<ApiCannedResponse[]> {
    return (await this.request<ApiCannedResponse[]>('GET', '/canned-responses')).data;
  }

  /**
   * `POST /uploads` as multipart, streamed from `body` so progress can be reported as bytes leave.
   * The filename goes as UTF-8 in `filename`, as browsers send it (the server's multipart parser
   * does not read RFC 5987 `filename*`); only quotes and line breaks are percent-encoded, as HTML specifies.
   */
  async upload(file: { name: string; mimeType: string | null; size: number; open: () => Readable }, onProgress: (sent: number) => void): Promise<ApiUpload> {
    const boundary = `----switchboard${Math.random().toString(16).slice(2)}${Date.now().toString(16)}`;
    const filename = file.name.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n` +
        `Content-Type: ${file.mimeType ?? 'application/octet-stream'}\r\n\r\n`,
    );
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    let sent = 0;
    async function* parts(): AsyncGenerator<Buffer> {
      yield head;
      for await (const chunk of file.open()) {
        const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
        sent += buffer.length;
        onProgress(Math.min(sent, file.size));
        yield buffer;
      }
      yield tail;
    }
    const headers = { ...this.headers(false), 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Content-Length': String(head.length + file.size + tail.length) };
    const body = Readable.toWeb(Readable.from(parts()));
    const response = await this.fetch(this.url('/uploads'), { method: 'POST', headers, body: body as ReadableStream, duplex: 'half' }, Math.max(this.options.timeoutMs, 120_000));
    const parsed: unknown = await response.json();
    if (typeof parsed !== 'object' || parsed === null || !('data' in parsed)) throw new HttpStatusError(response.status, null, null);
    return parsed.data as ApiUpload;
  }

  /**
   * Downloads an attachment to `destination` (via a temporary file, so a broken download leaves nothing behind).
   * Redirects are not followed: a file the server keeps is answered from its own origin, and a
   * redirect elsewhere would have the operator's machine fetch an address someone else chose
   * (a 3xx rejects as an HttpStatusError, like any answer that is not the file).
   */
  async download(attachmentId: number, destination: string): Promise<number> {
    const response = await this.fetch(
      this.url(`/attachments/${attachmentId}`),
      { method: 'GET', headers: this.headers(false), redirect: 'manual' },
      Math.max(this.options.timeoutMs, 120_000),
    );
    if (!response.body) throw new NetworkError('The attachment came without a body.');
    const partial = `${destination}.part`;
    try {
      await pipeline(Readable.fromWeb(response.body), createWriteStream(partial, { mode: 0o600 }));
      await rename(partial, destination);
    } catch (error) {
      await rm(partial, { force: true });
      throw error instanceof HttpStatusError ? error : new NetworkError('The attachment download broke off.', { cause: error });
    }
    return (await stat(destination)).size;
  }
}
