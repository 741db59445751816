import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

// Prometheus metrics of one server instance. Each instance has its own registry (tests run many
// servers in one process, and a global default registry would mix their counts).

/** Seconds buckets for HTTP answers: most are a few milliseconds, uploads and long polls take seconds. */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Seconds buckets for one SQL statement: SQLite answers in microseconds, PostgreSQL over a network in milliseconds. */
const QUERY_BUCKETS = [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1];

export interface Metrics {
  readonly registry: Registry;
  readonly httpRequests: Counter<'route' | 'method' | 'status'>;
  readonly httpDuration: Histogram<'route' | 'method' | 'status'>;
  readonly eventsDelivered: Counter;
  readonly rateLimited: Counter<'limiter'>;
  readonly queryDuration: Histogram<'operation'>;
  /** A gauge read at scrape time (open sockets, queue depths): counting costs nothing between scrapes. */
  gauge(name: string, help: string, read: () => number): void;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'switchboard_' });
  const httpLabels = ['route', 'method', 'status'] as const;
  return {
    registry,
    httpRequests: new Counter({ name: 'switchboard_http_requests_total', help: 'HTTP requests answered, by route template, method and status.', labelNames: httpLabels, registers: [registry] }),
    httpDuration: new Histogram({
      name: 'switchboard_http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by route template, method and status.',
      labelNames: httpLabels,
      buckets: HTTP_BUCKETS,
      registers: [registry],
    }),
    eventsDelivered: new Counter({ name: 'switchboard_realtime_events_delivered_total', help: 'Realtime events sent to sockets (one per receiving socket).', registers: [registry] }),
    rateLimited: new Counter({ name: 'switchboard_rate_limited_total', help: 'Requests refused with 429, by the limit they hit.', labelNames: ['limiter'], registers: [registry] }),
    queryDuration: new Histogram({
      name: 'switchboard_db_query_duration_seconds',
      help: 'Time one SQL statement took, by its kind (select, insert, update, delete, other).',
      labelNames: ['operation'],
      buckets: QUERY_BUCKETS,
      registers: [registry],
    }),
    gauge(name, help, read) {
      new Gauge({
        name,
        help,
        registers: [registry],
        collect() {
          this.set(read());
        },
      });
    },
  };
}

/** The kind of a statement, a label with a handful of values whatever the SQL. */
export function queryOperation(text: string): 'select' | 'insert' | 'update' | 'delete' | 'other' {
  const word = /^\s*(\w+)/.exec(text)?.[1]?.toLowerCase();
  switch (word) {
    case 'select':
    case 'insert':
    case 'update':
    case 'delete':
      return word;
    default:
      return 'other';
  }
}
