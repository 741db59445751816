// What the domain refuses, in its own terms. Each dialect maps these to its wire format
// (v1: 404 / 403 / 422 bodies); the domain never knows a status code.

export class DomainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The thing does not exist for this user: a chat they may not see is indistinguishable from none. */
export class NotVisibleError extends DomainError {
  constructor(readonly what: 'chat' | 'message' | 'user' | 'resource' = 'resource') {
    super(`No such ${what}.`);
  }
}

/** The user sees the thing but may not do this to it. */
export class NotAllowedError extends DomainError {}

/** Input that names something invalid; `errors` are per field, in Laravel's sentences. */
export class InvalidFieldError extends DomainError {
  constructor(readonly errors: Record<string, string[]>) {
    super(Object.values(errors).flat()[0] ?? 'The given data was invalid.');
  }

  static field(field: string, message: string): InvalidFieldError {
    return new InvalidFieldError({ [field]: [message] });
  }
}
