import type { ServerMigration } from '../migrate';

// A device token belongs to the session (access token) that registered it, not only to a user:
// while that session is live no other account can take the token over, and when it ends — logout
// or revocation delete the access token — the registration goes with it (ON DELETE CASCADE), so a
// shared device stops receiving the previous user's pushes. Rows written before this step have no
// session (NULL); server/store/queries/tokens.ts treats them as held while their user has any live
// session, so the step opens no window to take them over.

export const migration005: ServerMigration = {
  version: 5,
  name: 'device-sessions',
  up(db) {
    db.exec(`
      ALTER TABLE device_tokens ADD COLUMN access_token_id INTEGER REFERENCES access_tokens(id) ON DELETE CASCADE;
      CREATE INDEX device_tokens_access_token ON device_tokens(access_token_id);
    `);
  },
  postgres: `
    ALTER TABLE device_tokens ADD COLUMN access_token_id BIGINT REFERENCES access_tokens(id) ON DELETE CASCADE;
    CREATE INDEX device_tokens_access_token ON device_tokens(access_token_id);
  `,
};
