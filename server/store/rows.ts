import type {
  AccessTokenRecord,
  CannedResponseRecord,
  ChatRecord,
  SourceRecord,
  UserRecord,
} from '../domain/records';
import type { SenderType, SourceType } from '../../common/api';

// Row shapes as both backends store them: the domain's records with booleans as 0/1 and JSON
// columns as text. Only server/store/queries/ sees these; it turns them into records.

type Flag = 0 | 1 | number;

export type UserRow = Omit<UserRecord, 'is_active' | 'roles' | 'source_ids' | 'department_ids'> & { is_active: Flag };

export type SourceRow = Omit<SourceRecord, 'settings'> & { settings: string };

export type ChatRow = Omit<ChatRecord, 'user_metadata' | 'is_urgent' | 'participant_ids'> & {
  user_metadata: string;
  is_urgent: Flag;
  /** What the chat search matches of the metadata (queries/chats.ts contactFields); not part of the record. */
  contact_name: string | null;
  contact_email: string | null;
  contact_phone: string | null;
  /** Grows with every change the chat's list row shows (migration 009); not part of the record. */
  sync_key: number;
};

/** A chat joined with what its list representation shows. */
export interface ChatListRow extends ChatRow {
  source_name: string;
  source_type: SourceType;
  department_name: string | null;
  assignee_name: string | null;
  latest_text: string | null;
  latest_sender_type: SenderType | null;
  latest_is_hidden: number | null;
  latest_created_at: number | null;
  contact_ref_name: string | null;
  contact_ref_email: string | null;
  contact_ref_phone: string | null;
  contact_ref_company: string | null;
}

export type AccessTokenRow = Omit<AccessTokenRecord, 'abilities'> & { abilities: string };

export type CannedResponseRow = Omit<CannedResponseRecord, 'is_active'> & { is_active: Flag };
