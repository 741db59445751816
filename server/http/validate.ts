import { z } from 'zod';
import type { ApiContext } from './context';
import { NotFoundError, ValidationError } from './errors';
import { assertBodyParsed } from './malformed-body';

type Issue = z.core.$ZodIssue;

/** Laravel's display name for a field: `client_message_id` → `client message id`. */
function attribute(path: PropertyKey[]): string {
  return path.map(String).join('.').replace(/_/g, ' ') || 'body';
}

function laravelMessage(issue: Issue): string {
  const field = attribute(issue.path);
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined || issue.input === null || issue.input === '') return `The ${field} field is required.`;
      switch (issue.expected) {
        case 'string':
          return `The ${field} field must be a string.`;
        case 'int':
          return `The ${field} field must be an integer.`;
        case 'number':
          return `The ${field} field must be a number.`;
        case 'boolean':
          return `The ${field} field must be true or false.`;
        case 'array':
          return `The ${field} field must be an array.`;
        case 'object':
          return `The ${field} field must be an object.`;
        default:
          return `The ${field} field is invalid.`;
      }
    }
    case 'too_big':
      switch (issue.origin) {
        case 'string':
          return `The ${field} field must not be greater than ${issue.maximum} characters.`;
        case 'array':
          return `The ${field} field must not have more than ${issue.maximum} items.`;
        default:
          return `The ${field} field must not be greater than ${issue.maximum}.`;
      }
    case 'too_small':
      switch (issue.origin) {
        case 'string':
          return issue.minimum === 1 ? `The ${field} field is required.` : `The ${field} field must be at least ${issue.minimum} characters.`;
        case 'array':
          return `The ${field} field must have at least ${issue.minimum} items.`;
        default:
          return `The ${field} field must be at least ${issue.minimum}.`;
      }
    case 'invalid_format':
      switch (issue.format) {
        case 'email':
          return `The ${field} field must be a valid email address.`;
        case 'uuid':
        case 'guid':
          return `The ${field} field must be a valid UUID.`;
        case 'url':
          return `The ${field} field must be a valid URL.`;
        default:
          return `The ${field} field format is invalid.`;
      }
    case 'invalid_value':
      // Laravel's `required|in:…` says "required" when the field is absent, "selected … is invalid" otherwise.
      if (issue.input === undefined || issue.input === null || issue.input === '') return `The ${field} field is required.`;
      return `The selected ${field} is invalid.`;
    case 'custom':
      return issue.message.replace(':attribute', field);
    case 'not_multiple_of':
    case 'unrecognized_keys':
    case 'invalid_union':
    case 'invalid_key':
    case 'invalid_element':
      return `The ${field} field is invalid.`;
    default: {
      const unreachable: never = issue;
      return `The ${field} field is invalid: ${JSON.stringify(unreachable)}`;
    }
  }
}

/** Parses `data` with `schema`, or throws a 422 whose messages read like Laravel's. */
export function parseInput<S extends z.ZodType>(schema: S, data: unknown): z.output<S> {
  const result = schema.safeParse(data, { reportInput: true });
  if (result.success) return result.data;
  const errors: Record<string, string[]> = {};
  for (const issue of result.error.issues) {
    const key = issue.path.map(String).join('.') || 'body';
    const messages = (errors[key] ??= []);
    const message = laravelMessage(issue);
    if (!messages.includes(message)) messages.push(message);
  }
  throw new ValidationError(errors);
}

/** The request body through `schema`; a body that was not valid JSON is a 422 here. */
export function parseBody<S extends z.ZodType>(ctx: { request: { body?: unknown } }, schema: S): z.output<S> {
  assertBodyParsed(ctx.request);
  return parseInput(schema, ctx.request.body ?? {});
}

interface Schemas {
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
}

type Parsed<S extends Schemas> = {
  [K in keyof S]: S[K] extends z.ZodType ? z.output<S[K]> : never;
};

/**
 * Validates route params, query and body, then calls `handler` with the typed results.
 * Nothing reaches a handler unvalidated.
 */
export function validate<S extends Schemas>(schemas: S, handler: (ctx: ApiContext, input: Parsed<S>) => Promise<void> | void) {
  return async (ctx: ApiContext): Promise<void> => {
    const input: Record<string, unknown> = {};
    // Params first: a missing chat is a 404 even when the body is also wrong.
    if (schemas.params) {
      const params = schemas.params.safeParse(ctx.params);
      if (!params.success) throw new NotFoundError();
      input.params = params.data;
    }
    // A body that is not JSON is refused even where the route reads none: nothing acts on garbled input.
    assertBodyParsed(ctx.request);
    if (schemas.query) input.query = parseInput(schemas.query, ctx.query);
    if (schemas.body) input.body = parseBody(ctx, schemas.body);
    // Each key was just produced by the schema of the same key.
    await handler(ctx, input as Parsed<S>);
  };
}

/** A path id: anything but a positive integer is a missing resource, not a validation error. */
export const idParam = z.preprocess((value) => (typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value), z.number().int().positive());
