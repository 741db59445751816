import type Router from '@koa/router';
import { z } from 'zod';
import type { RealtimeConfig } from '../config';
import type { ApiContext, AppState } from '../http/context';
import { HttpError, PayloadTooLargeError, ValidationError } from '../http/errors';
import { malformedBody } from '../http/malformed-body';
import { parseBody } from '../http/validate';
import { localRealtimeCounts, type ChannelCount, type RealtimeCounts } from './counts';
import { channelKind } from './protocol';
import type { PusherServer } from './pusher-server';
import { httpApiProblem } from './signatures';
import { createRouter } from '../http/router';

// Pusher's server HTTP API (https://pusher.com/docs/channels/library_auth_reference/rest-api), as Reverb serves it,
// so a Laravel backend's `reverb`/`pusher` broadcast driver can publish through this server.

/** Pusher's limits: 100 channels an event, 10 events a batch. */
const MAX_CHANNELS_PER_EVENT = 100;
const MAX_BATCH = 10;

const socketId = z.string().regex(/^\d{1,20}\.\d{1,20}$/);

function schemas(config: RealtimeConfig) {
  const channelName = z
    .string()
    .min(1)
    .max(config.maxChannelNameLength)
    .regex(/^[A-Za-z0-9_\-=@,.;]+$/);
  const event = {
    name: z.string().min(1).max(200),
    // The broadcast drivers send `data` already JSON-encoded, and clients receive that string as is.
    data: z.string(),
    socket_id: socketId.optional(),
    info: z.string().optional(),
  };
  return {
    event: z
      .object({ ...event, channels: z.array(channelName).min(1).max(MAX_CHANNELS_PER_EVENT).optional(), channel: channelName.optional() })
      .refine((body) => body.channels !== undefined || body.channel !== undefined, { message: 'The channels field is required.', path: ['channels'] }),
    batch: z.object({ batch: z.array(z.object({ ...event, channel: channelName })).min(1).max(MAX_BATCH) }),
  };
}

type InfoAttribute = 'user_count' | 'subscription_count';

function infoAttributes(info: unknown): Set<InfoAttribute> {
  const wanted = new Set<InfoAttribute>();
  if (typeof info !== 'string') return wanted;
  for (const part of info.split(',')) {
    const attribute = part.trim();
    if (attribute === 'user_count' || attribute === 'subscription_count') wanted.add(attribute);
  }
  return wanted;
}

/** The `info` Pusher reports for a channel; `user_count` exists only on presence channels. */
function channelInfo(name: string, count: ChannelCount, wanted: Set<InfoAttribute>): { user_count?: number; subscription_count?: number } {
  const info: { user_count?: number; subscription_count?: number } = {};
  if (wanted.has('user_count') && channelKind(name) === 'presence') info.user_count = count.users;
  if (wanted.has('subscription_count')) info.subscription_count = count.subscriptions;
  return info;
}

/** `counts`: this node's by default; with several nodes, the cluster's. */
export function pusherHttpApiRoutes(
  config: RealtimeConfig,
  realtime: PusherServer,
  now: () => number,
  counts: RealtimeCounts = localRealtimeCounts(realtime),
): Router<AppState> {
  const router = createRouter('/apps/:appId');
  const body = schemas(config);

  // Every route: the app must be ours (404), then the request signed with its secret (401).
  router.use(async (ctx, next) => {
    if (ctx.params.appId !== config.appId) throw new HttpError(404, 'NOT_FOUND', `No matching application for ID [${ctx.params.appId ?? ''}].`);
    const problem = httpApiProblem(
      { method: ctx.method, path: ctx.path, query: new URLSearchParams(ctx.querystring), body: ctx.request.rawBody ?? malformedBody(ctx.request)?.raw ?? '' },
      config,
      now(),
    );
    if (problem) throw new HttpError(401, 'UNAUTHENTICATED', problem);
    await next();
  });

  const checkSize = (data: string) => {
    if (Buffer.byteLength(data) > config.maxMessageBytes) throw new PayloadTooLargeError(`The event data is larger than ${config.maxMessageBytes} bytes.`);
  };

  router.post('/events', async (ctx: ApiContext) => {
    const input = parseBody(ctx, body.event);
    checkSize(input.data);
    const channels = input.channels ?? (input.channel === undefined ? [] : [input.channel]);
    realtime.deliver(channels, input.name, input.data, input.socket_id ?? null);
    const wanted = infoAttributes(input.info);
    if (wanted.size === 0) {
      ctx.body = {};
      return;
    }
    const infos = await Promise.all(channels.map(async (name) => [name, channelInfo(name, await counts.channel(name), wanted)] as const));
    ctx.body = { channels: Object.fromEntries(infos) };
  });

  router.post('/batch_events', async (ctx: ApiContext) => {
    const input = parseBody(ctx, body.batch);
    for (const event of input.batch) checkSize(event.data);
    for (const event of input.batch) realtime.deliver([event.channel], event.name, event.data, event.socket_id ?? null);
    const infos = input.batch.map((event) => ({ event, wanted: infoAttributes(event.info) }));
    ctx.body = infos.every(({ wanted }) => wanted.size === 0)
      ? {}
      : { batch: await Promise.all(infos.map(async ({ event, wanted }) => channelInfo(event.channel, await counts.channel(event.channel), wanted))) };
  });

  router.get('/channels', async (ctx: ApiContext) => {
    const prefix = typeof ctx.query.filter_by_prefix === 'string' ? ctx.query.filter_by_prefix : '';
    const wanted = infoAttributes(ctx.query.info);
    if (wanted.has('user_count') && !prefix.startsWith('presence-')) {
      throw ValidationError.field('info', 'The user_count attribute needs filter_by_prefix=presence-.');
    }
    const channels: Record<string, ReturnType<typeof channelInfo>> = {};
    for (const [name, count] of await counts.channels(prefix)) channels[name] = channelInfo(name, count, wanted);
    ctx.body = { channels };
  });

  router.get('/channels/:channel', async (ctx: ApiContext) => {
    const name = ctx.params.channel ?? '';
    const count = await counts.channel(name);
    ctx.body = { occupied: count.subscriptions > 0, ...channelInfo(name, count, infoAttributes(ctx.query.info)) };
  });

  router.get('/channels/:channel/users', async (ctx: ApiContext) => {
    const name = ctx.params.channel ?? '';
    if (channelKind(name) !== 'presence') throw ValidationError.field('channel', 'Users can only be listed for presence channels.');
    ctx.body = { users: (await counts.users(name)).map((id) => ({ id })) };
  });

  router.get('/connections', async (ctx: ApiContext) => {
    ctx.body = { connections: await counts.connections() };
  });

  return router;
}
