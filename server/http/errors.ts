import type { ErrorCode } from '../../common/api';

/** An error that becomes an HTTP response in the documented `{message, code}` format. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends HttpError {
  constructor(readonly errors: Record<string, string[]>) {
    const messages = Object.values(errors).flat();
    const first = messages[0] ?? 'The given data was invalid.';
    const more = messages.length - 1;
    super(422, 'VALIDATION_ERROR', more > 0 ? `${first} (and ${more} more error${more === 1 ? '' : 's'})` : first);
  }

  static field(field: string, message: string): ValidationError {
    return new ValidationError({ [field]: [message] });
  }
}

export class UnauthenticatedError extends HttpError {
  constructor() {
    super(401, 'UNAUTHENTICATED', 'Unauthenticated.');
  }
}

export class ForbiddenError extends HttpError {
  constructor(message = 'This action is unauthorized.') {
    super(403, 'FORBIDDEN', message);
  }
}

export class NotFoundError extends HttpError {
  constructor() {
    super(404, 'NOT_FOUND', 'Resource not found.');
  }
}

export class MethodNotAllowedError extends HttpError {
  constructor() {
    super(405, 'METHOD_NOT_ALLOWED', 'The method is not supported for this route.');
  }
}

export class PayloadTooLargeError extends HttpError {
  constructor(message = 'The request is larger than the server accepts.') {
    super(413, 'PAYLOAD_TOO_LARGE', message);
  }
}

export class TooManyRequestsError extends HttpError {
  constructor(retryAfterSeconds: number, limit: number) {
    super(429, 'TOO_MANY_REQUESTS', 'Too Many Attempts.', {
      'Retry-After': String(retryAfterSeconds),
      'X-RateLimit-Limit': String(limit),
      'X-RateLimit-Remaining': '0',
    });
  }
}
