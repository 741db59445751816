import type { ContactRecord } from '../../domain/records';
import type { ContactInput, ContactQueries } from '../contract';
import { containsPattern, sqlFragments, type Binding, type Executor } from '../executor';

type ContactRow = ContactRecord & { phone_key: string | null };

/**
 * What a phone is matched by: its digits, with a leading + kept ("+48 601-234-567" → "+48601234567"),
 * so the spacing and dashes people type do not keep a customer from their contact. Fewer than
 * five digits is not a phone number anyone can be found by.
 */
export function phoneKey(phone: string | null | undefined): string | null {
  if (!phone) return null;
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 5) return null;
  return phone.trim().startsWith('+') ? `+${digits}` : digits;
}

function record(row: ContactRow): ContactRecord {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    phone: row.phone,
    company: row.company,
    notes: row.notes,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export function contactQueries(db: Executor): ContactQueries {
  const sql = sqlFragments(db.dialect);

  async function byId(id: number): Promise<ContactRecord | undefined> {
    const row = await db.get<ContactRow>('SELECT * FROM contacts WHERE id = ?', [id]);
    return row && record(row);
  }

  function searchWhere(search: string | undefined): { where: string; params: Binding[] } {
    if (!search) return { where: '', params: [] };
    const like = containsPattern(search);
    const columns = ['name', 'email', 'phone', 'company'].map((column) => `${sql.fold(column)} LIKE ? ESCAPE '\\'`);
    return { where: `WHERE ${columns.join(' OR ')}`, params: [like, like, like, like] };
  }

  return {
    byId,

    async list(page, perPage, search) {
      const { where, params } = searchWhere(search);
      const rows = await db.all<ContactRow>(`SELECT * FROM contacts ${where} ORDER BY id LIMIT ? OFFSET ?`, [...params, perPage, (page - 1) * perPage]);
      const total = (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM contacts ${where}`, params))?.n ?? 0;
      return { rows: rows.map(record), total: Number(total) };
    },

    async create(input: ContactInput, now) {
      const row = await db.get<{ id: number }>(
        'INSERT INTO contacts (name, email, phone, phone_key, company, notes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id',
        [input.name, input.email, input.phone, phoneKey(input.phone), input.company, input.notes, now, now],
      );
      if (!row) throw new Error('contact insert returned no id');
      return row.id;
    },

    async update(id, patch, now) {
      const current = await byId(id);
      if (!current) return false;
      const pick = <K extends keyof ContactInput>(key: K): ContactInput[K] => patch[key] ?? current[key];
      const next: ContactInput = { name: pick('name'), email: pick('email'), phone: pick('phone'), company: pick('company'), notes: pick('notes') };
      const changed = await db.run('UPDATE contacts SET name = ?, email = ?, phone = ?, phone_key = ?, company = ?, notes = ?, updated_at = ? WHERE id = ?', [
        next.name,
        next.email,
        next.phone,
        phoneKey(next.phone),
        next.company,
        next.notes,
        now,
        id,
      ]);
      return changed > 0;
    },

    async delete(id) {
      return (await db.run('DELETE FROM contacts WHERE id = ?', [id])) > 0;
    },

    async findByEmailOrPhone(email, phone) {
      // E-mail first: it names one person more surely than a phone a household or an office shares.
      if (email) {
        const row = await db.get<ContactRow>(`SELECT * FROM contacts WHERE ${sql.emailMatches} ORDER BY id LIMIT 1`, [email.trim()]);
        if (row) return record(row);
      }
      const key = phoneKey(phone);
      if (key) {
        const row = await db.get<ContactRow>('SELECT * FROM contacts WHERE phone_key = ? ORDER BY id LIMIT 1', [key]);
        if (row) return record(row);
      }
      return undefined;
    },
  };
}
