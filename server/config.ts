import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { systemClock, type Clock } from './clock';
import type { S3Options } from './files/s3-file-store';
import { isLogLevel, jsonLogger, LOG_LEVELS, type Logger, type LogLevel } from './logger';

export interface RealtimeConfig {
  appId: string;
  key: string;
  secret: string;
  /** Seconds of silence before a client should ping (sent in the handshake); the server pings a connection silent this long. */
  activityTimeout: number;
  /** Seconds the server waits for any sign of life after its own ping before it closes the connection with 4201. */
  pongTimeout: number;
  /** Largest WebSocket message accepted from a client, in bytes; a larger one closes the connection with 1009. */
  maxMessageBytes: number;
  /** Connections beyond this many are refused with 4100 (over capacity; pusher-js retries with backoff). */
  maxConnections: number;
  /** Client events (`client-*`) a connection may send per second; the excess is dropped with a `pusher:error` 4301. */
  clientEventsPerSecond: number;
  maxChannelNameLength: number;
  /** Bytes queued towards one slow client before it is dropped with 4100, so a stalled reader cannot grow the heap. */
  maxBufferedBytes: number;
  /** Channels one connection may hold; one more is refused with `pusher:subscription_error` on that channel. 0: no limit. */
  maxSubscriptionsPerConnection: number;
  /** Connections from one client address (behind `trustProxy`, the proxy's `X-Forwarded-For`); beyond: 4100, pusher-js retries. 0: no limit. */
  maxConnectionsPerIp: number;
  /** Seconds a connection may hold no channel (after connecting or after its last one ended) before 4202 closes it. 0: never. */
  subscribeTimeout: number;
  /** How clients should reach the WebSocket when that differs from the HTTP listener (behind a proxy). */
  publicHost?: string;
  publicPort?: number;
  publicScheme?: 'http' | 'https';
}

export interface ServerConfig {
  name: string;
  dataDir: string;
  /** Defaults to `{dataDir}/switchboard.sqlite`. */
  databaseFile: string;
  /** `postgres://…`: PostgreSQL instead of the SQLite file (for several nodes on one database). */
  databaseUrl?: string;
  /** `redis://…`: what several nodes share in memory (broadcasts, presence, counts, rate limits, leases); unset: this process alone. */
  redisUrl?: string;
  uploadsDir: string;
  /** `s3://bucket[/prefix]`: uploads and attachments in an S3-compatible bucket instead of `uploadsDir` (for several nodes). */
  filesUrl?: string;
  /** How to reach that bucket. */
  s3: S3Options;
  /** Seed demo data into an empty database. */
  demo: boolean;
  /** The first admin, created on a database without users (and ignored once it has any). */
  firstAdmin: { email?: string; password?: string };
  /** Absolute base URL clients use to reach this server; defaults to the listening address. */
  publicUrl?: string;
  /** Trust `X-Forwarded-*` (behind a reverse proxy). */
  trustProxy: boolean;
  uploadMaxBytes: number;
  uploadTtlMs: number;
  jsonBodyMaxBytes: number;
  sendPerMinute: number;
  /** Login attempts a minute per email + address. */
  loginPerMinute: number;
  /** Login attempts a minute per address, whatever the emails: a flood of distinct emails is throttled too. */
  loginPerIpPerMinute: number;
  /** Access tokens expire after this many minutes; null = never (Sanctum's default). */
  tokenTtlMinutes: number | null;
  /** Website visitors have no account, so their abuse limits count per address and per space. */
  visitorLimits: VisitorLimitsConfig;
  realtime: RealtimeConfig;
  /** Folder served at `/updates/` for the desk's auto-updater; off when unset. */
  updatesDir?: string;
  /** The JSON log's level (`SWITCHBOARD_LOG_LEVEL`); used by the default logger. */
  logLevel: LogLevel;
  /** `GET /metrics` with `Authorization: Bearer <token>` from anywhere. */
  metricsToken?: string;
  /** `GET /metrics` without the token from this machine itself. */
  metricsLoopback: boolean;
  /** How long a graceful stop (SIGTERM) waits for requests under way before it cuts them. */
  shutdownGraceSeconds: number;
  logger: Logger;
  /** The server's time (tests move it forward); the realtime transport keeps wall-clock timers. */
  clock: Clock;
}

export interface VisitorLimitsConfig {
  /** New spaces (conversations) one address may start per `spacesWindowHours`. */
  spacesPerIp: number;
  spacesWindowHours: number;
  /** Messages one space may send a minute. */
  messagesPerMinute: number;
  /** Files one space may upload an hour. */
  uploadsPerHour: number;
}

export type ServerConfigInput = Partial<Omit<ServerConfig, 'realtime' | 'visitorLimits' | 'logLevel' | 's3'>> & {
  s3?: Partial<S3Options>;
  /** Checked when the server starts: one of `LOG_LEVELS`. */
  logLevel?: string;
  realtime?: Partial<RealtimeConfig>;
  visitorLimits?: Partial<VisitorLimitsConfig>;
};

export const DEMO_REALTIME = { appId: 'switchboard', key: 'switchboard-key', secret: 'switchboard-secret' } as const;

/**
 * The public URL without trailing slashes, or undefined when unset or empty. One that is not an
 * absolute http(s) URL stops the start here, rather than failing every answer that names it.
 */
function publicUrlOf(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const trimmed = value.replace(/\/+$/, '');
  const protocol = URL.canParse(trimmed) ? new URL(trimmed).protocol : undefined;
  if (protocol !== 'http:' && protocol !== 'https:') throw new Error(`the public URL must be an absolute http(s) URL, not ${JSON.stringify(value)}`);
  return trimmed;
}

function logLevelOf(value: string | undefined): LogLevel {
  if (!value) return 'info';
  if (!isLogLevel(value)) throw new Error(`the log level must be one of ${LOG_LEVELS.join(', ')}, not ${JSON.stringify(value)}`);
  return value;
}

/** Fills defaults; every option can be given, nothing must be. */
export function resolveConfig(input: ServerConfigInput = {}): ServerConfig {
  const dataDir = resolve(input.dataDir ?? './data');
  const demo = input.demo ?? false;
  const logLevel = logLevelOf(input.logLevel);
  return {
    name: input.name ?? 'Switchboard',
    dataDir,
    databaseFile: input.databaseFile ?? join(dataDir, 'switchboard.sqlite'),
    databaseUrl: input.databaseUrl || undefined,
    redisUrl: input.redisUrl || undefined,
    uploadsDir: input.uploadsDir ?? join(dataDir, 'files'),
    filesUrl: input.filesUrl || undefined,
    s3: {
      endpoint: input.s3?.endpoint || undefined,
      region: input.s3?.region || 'us-east-1',
      credentials: input.s3?.credentials,
      // A custom endpoint is almost always an S3-compatible service, which wants path-style addressing.
      forcePathStyle: input.s3?.forcePathStyle ?? Boolean(input.s3?.endpoint),
    },
    demo,
    firstAdmin: { email: input.firstAdmin?.email || undefined, password: input.firstAdmin?.password || undefined },
    publicUrl: publicUrlOf(input.publicUrl),
    trustProxy: input.trustProxy ?? false,
    uploadMaxBytes: input.uploadMaxBytes ?? 20 * 1024 * 1024,
    uploadTtlMs: input.uploadTtlMs ?? 24 * 60 * 60 * 1000,
    jsonBodyMaxBytes: input.jsonBodyMaxBytes ?? 1024 * 1024,
    sendPerMinute: input.sendPerMinute ?? 30,
    loginPerMinute: input.loginPerMinute ?? 5,
    loginPerIpPerMinute: input.loginPerIpPerMinute ?? 30,
    tokenTtlMinutes: input.tokenTtlMinutes ?? null,
    visitorLimits: {
      spacesPerIp: input.visitorLimits?.spacesPerIp ?? 6,
      spacesWindowHours: input.visitorLimits?.spacesWindowHours ?? 12,
      messagesPerMinute: input.visitorLimits?.messagesPerMinute ?? 20,
      uploadsPerHour: input.visitorLimits?.uploadsPerHour ?? 10,
    },
    realtime: {
      appId: input.realtime?.appId ?? DEMO_REALTIME.appId,
      key: input.realtime?.key ?? DEMO_REALTIME.key,
      // Outside the demo an unset secret is random per start: nobody can sign as us with a published default.
      secret: input.realtime?.secret ?? (demo ? DEMO_REALTIME.secret : randomBytes(24).toString('hex')),
      activityTimeout: input.realtime?.activityTimeout ?? 30,
      pongTimeout: input.realtime?.pongTimeout ?? 30,
      maxMessageBytes: input.realtime?.maxMessageBytes ?? 10_000,
      maxConnections: input.realtime?.maxConnections ?? 10_000,
      clientEventsPerSecond: input.realtime?.clientEventsPerSecond ?? 10,
      maxChannelNameLength: input.realtime?.maxChannelNameLength ?? 200,
      maxBufferedBytes: input.realtime?.maxBufferedBytes ?? 4 * 1024 * 1024,
      maxSubscriptionsPerConnection: input.realtime?.maxSubscriptionsPerConnection ?? 100,
      maxConnectionsPerIp: input.realtime?.maxConnectionsPerIp ?? 50,
      subscribeTimeout: input.realtime?.subscribeTimeout ?? 30,
      publicHost: input.realtime?.publicHost,
      publicPort: input.realtime?.publicPort,
      publicScheme: input.realtime?.publicScheme,
    },
    updatesDir: input.updatesDir,
    logLevel,
    metricsToken: input.metricsToken || undefined,
    metricsLoopback: input.metricsLoopback ?? true,
    // Long enough for an upload on a slow line; a load balancer's drain timeout is usually longer still.
    shutdownGraceSeconds: input.shutdownGraceSeconds ?? 10,
    logger: input.logger ?? jsonLogger({ level: logLevel }),
    clock: input.clock ?? systemClock,
  };
}

/** Reads the documented environment variables (README, "Configuration"). */
export function configFromEnv(env: NodeJS.ProcessEnv): ServerConfigInput {
  const int = (value: string | undefined) => (value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined);
  return {
    dataDir: env.DATA_DIR,
    databaseFile: env.SWITCHBOARD_DATABASE,
    databaseUrl: env.SWITCHBOARD_DATABASE_URL,
    redisUrl: env.SWITCHBOARD_REDIS_URL,
    filesUrl: env.SWITCHBOARD_FILES_URL,
    s3: {
      endpoint: env.SWITCHBOARD_S3_ENDPOINT,
      region: env.AWS_REGION,
      credentials: env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY ? { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY } : undefined,
      forcePathStyle: env.SWITCHBOARD_S3_FORCE_PATH_STYLE === '0' ? false : env.SWITCHBOARD_S3_FORCE_PATH_STYLE === '1' ? true : undefined,
    },
    demo: env.SWITCHBOARD_DEMO === '1' || env.SWITCHBOARD_DEMO === 'true' ? true : undefined,
    name: env.SWITCHBOARD_NAME,
    firstAdmin: { email: env.SWITCHBOARD_ADMIN_EMAIL, password: env.SWITCHBOARD_ADMIN_PASSWORD },
    publicUrl: env.SWITCHBOARD_PUBLIC_URL,
    trustProxy: env.SWITCHBOARD_TRUST_PROXY === '1' ? true : undefined,
    uploadMaxBytes: int(env.SWITCHBOARD_UPLOAD_MAX_BYTES),
    sendPerMinute: int(env.SWITCHBOARD_SEND_PER_MINUTE),
    loginPerMinute: int(env.SWITCHBOARD_LOGIN_PER_MINUTE),
    loginPerIpPerMinute: int(env.SWITCHBOARD_LOGIN_PER_IP_PER_MINUTE),
    tokenTtlMinutes: int(env.SWITCHBOARD_TOKEN_TTL_MINUTES),
    updatesDir: env.SWITCHBOARD_UPDATES_DIR,
    logLevel: env.SWITCHBOARD_LOG_LEVEL,
    metricsToken: env.SWITCHBOARD_METRICS_TOKEN,
    metricsLoopback: env.SWITCHBOARD_METRICS_LOOPBACK === '0' ? false : undefined,
    shutdownGraceSeconds: int(env.SWITCHBOARD_SHUTDOWN_GRACE_SECONDS),
    visitorLimits: {
      spacesPerIp: int(env.SWITCHBOARD_VISITOR_SPACES_PER_IP),
      spacesWindowHours: int(env.SWITCHBOARD_VISITOR_SPACES_WINDOW_HOURS),
      messagesPerMinute: int(env.SWITCHBOARD_VISITOR_MESSAGES_PER_MINUTE),
      uploadsPerHour: int(env.SWITCHBOARD_VISITOR_UPLOADS_PER_HOUR),
    },
    realtime: {
      appId: env.REVERB_APP_ID,
      key: env.REVERB_APP_KEY,
      secret: env.REVERB_APP_SECRET,
      activityTimeout: int(env.REVERB_APP_ACTIVITY_TIMEOUT),
      pongTimeout: int(env.REVERB_APP_PONG_TIMEOUT),
      maxMessageBytes: int(env.REVERB_APP_MAX_MESSAGE_SIZE),
      maxConnections: int(env.REVERB_APP_MAX_CONNECTIONS),
      clientEventsPerSecond: int(env.REVERB_APP_CLIENT_EVENTS_PER_SECOND),
      maxSubscriptionsPerConnection: int(env.REVERB_APP_MAX_SUBSCRIPTIONS),
      maxConnectionsPerIp: int(env.REVERB_APP_MAX_CONNECTIONS_PER_IP),
      subscribeTimeout: int(env.REVERB_APP_SUBSCRIBE_TIMEOUT),
      publicHost: env.REVERB_HOST,
      publicPort: int(env.REVERB_PORT),
      publicScheme: env.REVERB_SCHEME === 'https' ? 'https' : env.REVERB_SCHEME === 'http' ? 'http' : undefined,
    },
  };
}
