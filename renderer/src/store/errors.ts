import { asBridgeError } from '../bridge/desk-bridge';
import type { ShownError } from './types';

export function shownError(error: unknown): ShownError {
  const bridgeError = asBridgeError(error);
  return { message: bridgeError.message, code: bridgeError.code, fields: bridgeError.fields ?? {} };
}
