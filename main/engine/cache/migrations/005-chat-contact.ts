import type { Migration } from '../migrate';

// The CRM contact a chat's customer is linked to, as the server describes it ({id, name, email,
// phone, company} as JSON), so the customer panel shows who they are offline too. Chats cached
// before this step have none until the server next describes them.
export const migration005: Migration = {
  version: 5,
  name: 'chat-contact',
  up(db) {
    db.exec('ALTER TABLE chats ADD COLUMN contact TEXT');
  },
};
