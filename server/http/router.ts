import Router from '@koa/router';
import type { AppState } from './context';

/**
 * Every router of the server. Case-sensitive, as Laravel's routes are: with @koa/router's default a
 * route matched `/API/V1/…` while the guard a parent router `use`d for `/api/v1` did not run.
 */
export function createRouter(prefix?: string): Router<AppState> {
  return new Router<AppState>({ prefix, sensitive: true });
}
