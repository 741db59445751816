/**
 * The `/api/chats…` and `/api/auth…` families' success envelope, with the document's sentences
 * ("Chats retrieved successfully", …) passed in by each route.
 */
export interface Envelope<T> {
  status: 'success';
  message: string;
  data: T;
}

export function success<T>(message: string, data: T): Envelope<T> {
  return { status: 'success', message, data };
}
