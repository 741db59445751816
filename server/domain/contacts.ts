import type { StoreQueries } from '../store/contract';
import type { ContactRecord, JsonObject } from './records';

// Customers who write in through a widget or a channel are linked to the CRM's contact with the
// same e-mail (ignoring case) or phone (by its digits), so an operator sees who they are talking to.
// A link someone made or removed by hand is never overridden: only an unlinked chat is matched.

export interface CustomerDetails {
  email?: string | null;
  phone?: string | null;
}

/** The customer's e-mail and phone from a chat's metadata (top-level strings only). */
export function customerDetailsOf(metadata: JsonObject): CustomerDetails {
  const email = metadata.email;
  const phone = metadata.phone;
  return { email: typeof email === 'string' ? email : null, phone: typeof phone === 'string' ? phone : null };
}

/**
 * Links chat `chatId` to the contact matching the customer, when it has none yet. Returns the
 * contact now linked (the existing link's or the new one), or undefined when none matches.
 * Call it inside the transaction that wrote the chat or the customer's details.
 */
export async function matchContact(
  tx: StoreQueries,
  chat: { id: number; contact_id: number | null },
  customer: CustomerDetails,
  now: number,
): Promise<ContactRecord | undefined> {
  if (chat.contact_id !== null) return tx.contacts.byId(chat.contact_id);
  if (!customer.email && !customer.phone) return undefined;
  const contact = await tx.contacts.findByEmailOrPhone(customer.email, customer.phone);
  if (contact) await tx.chats.setContact(chat.id, contact.id, now);
  return contact;
}
