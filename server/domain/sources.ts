import { randomBytes } from 'node:crypto';
import type { SourceType } from '../../common/api';
import type { Store } from '../store/contract';
import { NotVisibleError } from './errors';
import type { SourceRecord } from './records';

// Sources (channels) as administrators manage them. A source's webhook secret signs what its bridge
// posts (server/dialects/v1/webhook-signature.ts); it is kept as is because the server must compute
// the same HMAC, and every webhook reads it afresh, so a rotated secret is the only one that works
// from the moment it is stored.

/** 32 random bytes, hex: as strong as the HMAC-SHA256 it keys. */
export function generateWebhookSecret(): string {
  return randomBytes(32).toString('hex');
}

export async function sourceOrMissing(store: Store, id: number): Promise<SourceRecord> {
  const source = await store.catalog.source(id);
  if (!source) throw new NotVisibleError('resource');
  return source;
}

/** A new source of a channel type (widgets are made with their token and settings, in widgets.ts). */
export async function createSource(store: Store, source: { name: string; type: Exclude<SourceType, 'widget'> }, now: number): Promise<SourceRecord> {
  const id = await store.catalog.createSource({ name: source.name, type: source.type, webhookSecret: generateWebhookSecret() }, now);
  return sourceOrMissing(store, id);
}

export async function renameSource(store: Store, id: number, name: string, now: number): Promise<SourceRecord> {
  if (!(await store.catalog.renameSource(id, name, now))) throw new NotVisibleError('resource');
  return sourceOrMissing(store, id);
}

/** A new secret, which webhooks are verified against at once; the old one stops working. */
export async function rotateWebhookSecret(store: Store, id: number, now: number): Promise<SourceRecord> {
  if (!(await store.catalog.setWebhookSecret(id, generateWebhookSecret(), now))) throw new NotVisibleError('resource');
  return sourceOrMissing(store, id);
}
