import type { z } from 'zod';
import { assertBodyParsed } from '../../http/malformed-body';
import { parseBody } from '../../http/validate';

// Rails wraps parameters: a client may send `{"space": {...}}` or the same fields bare. The root
// key counts when it holds an object; otherwise the body is taken as the bare fields (so a message's
// bare `{"message": "text", "space_token": …}` is not mistaken for a wrapped one).

export type RootKey = 'space' | 'message' | 'widget' | 'template' | 'client';

function unwrapped(body: unknown, root: RootKey): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const inner: unknown = Reflect.get(body, root);
  return typeof inner === 'object' && inner !== null && !Array.isArray(inner) ? inner : body;
}

/** The request body through `schema`, with or without its root key. */
export function rootBody<S extends z.ZodType>(ctx: { request: { body?: unknown } }, root: RootKey, schema: S): z.output<S> {
  // A body that was not valid JSON is refused as such, before its fields are looked at.
  assertBodyParsed(ctx.request);
  return parseBody({ request: { body: unwrapped(ctx.request.body ?? {}, root) } }, schema);
}
